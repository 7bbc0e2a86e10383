package io.ployer.plugin.caddy;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to CaddyPlugin. */
class CaddyPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new CaddyPlugin();
    }
}
