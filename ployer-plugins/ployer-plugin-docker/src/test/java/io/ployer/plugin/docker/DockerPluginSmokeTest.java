package io.ployer.plugin.docker;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to DockerPlugin. */
class DockerPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new DockerPlugin();
    }
}
