package io.ployer.plugin.generic;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to GenericPlugin. */
class GenericPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new GenericPlugin();
    }
}
