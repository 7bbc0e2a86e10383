package io.ployer.plugin.bitbucket;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.git.GitPluginKit;

/** The plugin loads through the ServiceLoader and makes the {@code bitbucket} provider. */
class BitbucketPluginTest extends GitPluginKit {
    @Override
    protected Class<? extends PloyerPlugin> pluginClass() {
        return BitbucketPlugin.class;
    }

    @Override
    protected String providerName() {
        return "bitbucket";
    }
}
