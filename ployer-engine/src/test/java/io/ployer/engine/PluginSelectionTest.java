package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.StorageFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery is not activation: configuration picks plugins, and bad choices fail with every candidate listed. */
class PluginSelectionTest {
    @TempDir
    Path data;

    /** A second plugin offering a storage factory, to make choices ambiguous or missing. */
    static final class OtherStoragePlugin implements PloyerPlugin {
        private final String name;

        OtherStoragePlugin(String name) {
            this.name = name;
        }

        @Override
        public List<StorageFactory> storageFactories() {
            return List.of(new StorageFactory() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Storage create(Map<String, String> config, PluginContext context) {
                    throw new AssertionError("a storage that was not chosen must never be created");
                }
            });
        }
    }

    @Test
    void failsWithEveryCandidateWhenTheChosenStorageIsMissing() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data).plugin(new OtherStoragePlugin("memory"))
                .config("storage", "postgres").build())
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("postgres").contains("sqlite").contains("memory")
                            .contains(OtherStoragePlugin.class.getName());
                });
    }

    @Test
    void failsWhenTwoPluginsOfferTheChosenName() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data).plugin(new OtherStoragePlugin("sqlite")).build())
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("ambiguous").contains(OtherStoragePlugin.class.getName())
                            .contains("io.ployer.plugin.sqlite");
                });
    }

    @Test
    void doesNotCreateDiscoveredPluginsThatWereNotChosen() {
        try (Ployer ployer = EngineFixture.builder(data).plugin(new OtherStoragePlugin("memory")).build()) {
            ployer.start();
            assertThat(ployer.administration().plugins())
                    .anySatisfy(plugin -> {
                        assertThat(plugin.name()).isEqualTo("memory");
                        assertThat(plugin.active()).isFalse();
                    })
                    .anySatisfy(plugin -> {
                        assertThat(plugin.name()).isEqualTo("sqlite");
                        assertThat(plugin.active()).isTrue();
                    });
        }
    }

    @Test
    void failsWithoutAnyStorageWhenDiscoveryIsOff() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data).discoverPlugins(false).build())
                .isInstanceOfSatisfying(PloyerException.class, error ->
                        assertThat(error.getMessage()).contains("no storage plugin named 'sqlite'").contains("none on the class path"));
    }

    @Test
    void rejectsUnknownAndMalformedConfigurationAllAtOnce() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data).config("colour", "blue")
                .config("deploy.max-concurrent-builds", "zero").config("deploy.build-timeout", "soon").build())
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("colour").contains("deploy.max-concurrent-builds")
                            .contains("deploy.build-timeout");
                });
    }

    @Test
    void rejectsUnknownKeysOfTheChosenPluginAtBuild() {
        // issue 19: at build(), before anything is opened, not first at start()
        assertThatThrownBy(() -> EngineFixture.builder(data).config("storage.colour", "blue").build())
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("storage.colour").contains("pool-size");
                });
    }

    @Test
    void refusesServiceCallsBeforeStartAndAfterClose() {
        Ployer ployer = EngineFixture.builder(data).build();
        assertThatThrownBy(ployer::applications).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("start()"));
        ployer.start();
        ployer.close();
        ployer.close();
        assertThatThrownBy(ployer::applications).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.getMessage()).contains("closed"));
    }

    @Test
    void readsPloyerVariablesFromTheEnvironment() {
        try (Ployer ployer = Ployer.builder().plugin(new TestingForgePlugin())
                .environment(Map.of("PLOYER_DATA_DIR", data.toString(), "PLOYER_SECRET", EngineFixture.KEY_ONE,
                        "PLOYER_DOMAINS_BASE", "env.test", "HOME", "/root"))
                .build()) {
            ployer.start();
            var application = ployer.applications().create(io.ployer.api.application.ApplicationSpec.named("envy")
                    .withGit("https://git.example.com/envy.git", "main"));
            assertThat(ployer.applications().domains(application.id())).extracting(domain -> domain.hostname())
                    .containsExactly("envy.env.test");
        }
        assertThat(data.resolve("ployer.db")).exists();
        assertThat(data.resolve("secret.key")).doesNotExist();
    }

    /** Issue 19: settings that would be ignored are refused. */
    @Test
    void proxySettingsWithoutAProxyFailAtBuild() {
        assertThatThrownBy(() -> Ployer.builder().dataDirectory(data).config("proxy.admin-address", "http://127.0.0.1:2019").build())
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("proxy.admin-address").contains("no reverse proxy is chosen");
                });
    }

    /** Issue 19: the values of a plugin's secretConfigKeys() are redacted like every other secret. */
    @Test
    void aPluginsSecretSettingsAreRedacted() {
        java.util.concurrent.atomic.AtomicReference<PluginContext> seen = new java.util.concurrent.atomic.AtomicReference<>();
        PloyerPlugin forge = new PloyerPlugin() {
            @Override
            public List<io.ployer.spi.git.GitProviderFactory> gitProviderFactories() {
                return List.of(new io.ployer.spi.git.GitProviderFactory() {
                    @Override
                    public String name() {
                        return "vault-forge";
                    }

                    @Override
                    public java.util.Set<String> secretConfigKeys() {
                        return java.util.Set.of("token");
                    }

                    @Override
                    public io.ployer.spi.git.GitProvider create(Map<String, String> config, PluginContext context) {
                        seen.set(context);
                        return new TestingForgePlugin().gitProviderFactories().get(0).create(Map.of(), context);
                    }
                });
            }
        };
        try (Ployer ployer = Ployer.builder().dataDirectory(data).plugin(forge).config("git.vault-forge.token", "s3cr3t-forge-token")
                .build()) {
            ployer.start();
            assertThat(seen.get().redact("cloning with s3cr3t-forge-token failed")).doesNotContain("s3cr3t-forge-token");
        }
    }
}
