package io.ployer.plugin.gitea;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.git.GitPluginKit;

/** The plugin loads through the ServiceLoader and makes the {@code gitea} provider. */
class GiteaPluginTest extends GitPluginKit {
    @Override
    protected Class<? extends PloyerPlugin> pluginClass() {
        return GiteaPlugin.class;
    }

    @Override
    protected String providerName() {
        return "gitea";
    }
}
