package io.ployer.plugin.gitea;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginConfig;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.GitProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code gitea} git provider: verifies and parses its webhook deliveries. It takes no configuration. */
public final class GiteaPlugin implements PloyerPlugin {
    @Override
    public List<GitProviderFactory> gitProviderFactories() {
        return List.of(new GitProviderFactory() {
            @Override
            public String name() {
                return "gitea";
            }

            @Override
            public GitProvider create(Map<String, String> config, PluginContext context) {
                new PluginConfig("git gitea", config, Set.of()).validate();
                return new GiteaGitProvider();
            }
        });
    }
}
