package io.ployer.engine;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.GitProviderFactory;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import java.util.Optional;
import java.util.List;
import java.util.Map;

/**
 * A hand-written git provider for engine tests ({@code testing-forge}, accepts everything), until
 * the forge plugins are on the engine's test class path.
 */
final class TestingForgePlugin implements PloyerPlugin {
    @Override
    public List<GitProviderFactory> gitProviderFactories() {
        return List.of(new GitProviderFactory() {
            @Override
            public String name() {
                return "testing-forge";
            }

            @Override
            public GitProvider create(Map<String, String> config, PluginContext context) {
                return new GitProvider() {
                    @Override
                    public Verification verify(WebhookRequest request, String secret) {
                        return new Verification.Verified();
                    }

                    @Override
                    public WebhookEvent parse(WebhookRequest request) {
                        return new WebhookEvent.Ping();
                    }

                    @Override
                    public Optional<String> deliveryId(WebhookRequest request) {
                        return Optional.empty();
                    }
                };
            }
        });
    }
}
