package io.ployer.plugin.bitbucket;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to BitbucketPlugin. */
class BitbucketPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new BitbucketPlugin();
    }
}
