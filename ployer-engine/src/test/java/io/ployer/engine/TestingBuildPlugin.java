package io.ployer.engine;

import io.ployer.spi.Cancellation;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.build.BuildStrategyFactory;
import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProvider;
import io.ployer.spi.git.GitProviderFactory;
import io.ployer.spi.git.Verification;
import io.ployer.spi.git.WebhookEvent;
import io.ployer.spi.git.WebhookRequest;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hand-written plugins for engine tests that need applications but no Docker: build strategies
 * named like the real ones ({@code dockerfile} needs source, {@code image} does not; neither can
 * build) and a {@code testing-forge} git provider that accepts everything.
 */
final class TestingBuildPlugin implements PloyerPlugin {
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

    @Override
    public List<BuildStrategyFactory> buildStrategyFactories() {
        return List.of(factory("dockerfile", true), factory("image", false));
    }

    private static BuildStrategyFactory factory(String name, boolean needsSource) {
        return new BuildStrategyFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public BuildStrategy create(Map<String, String> config, PluginContext context) {
                return new BuildStrategy() {
                    @Override
                    public boolean needsSource() {
                        return needsSource;
                    }

                    @Override
                    public Set<String> configKeys() {
                        return Set.of("dockerfile", "image");
                    }

                    @Override
                    public BuildOutcome build(BuildRequest request, ContainerRuntime runtime, Consumer<String> log,
                                              Cancellation cancellation) {
                        return new BuildOutcome.Failed("the testing strategy does not build");
                    }
                };
            }
        };
    }
}
