package io.ployer.plugin.gitea;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to GiteaPlugin. */
class GiteaPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new GiteaPlugin();
    }
}
