package io.ployer.plugin.gitlab;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.git.GitPluginKit;

/** The plugin loads through the ServiceLoader and makes the {@code gitlab} provider. */
class GitLabPluginTest extends GitPluginKit {
    @Override
    protected Class<? extends PloyerPlugin> pluginClass() {
        return GitLabPlugin.class;
    }

    @Override
    protected String providerName() {
        return "gitlab";
    }
}
