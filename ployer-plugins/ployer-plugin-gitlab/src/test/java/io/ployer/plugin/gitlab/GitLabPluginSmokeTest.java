package io.ployer.plugin.gitlab;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.PluginSmokeKit;

/** The smoke kit every plugin passes, applied to GitLabPlugin. */
class GitLabPluginSmokeTest extends PluginSmokeKit {
    @Override
    protected PloyerPlugin plugin() {
        return new GitLabPlugin();
    }
}
