package io.ployer.plugin.github;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.git.GitPluginKit;

/** The plugin loads through the ServiceLoader and makes the {@code github} provider. */
class GitHubPluginTest extends GitPluginKit {
    @Override
    protected Class<? extends PloyerPlugin> pluginClass() {
        return GitHubPlugin.class;
    }

    @Override
    protected String providerName() {
        return "github";
    }
}
