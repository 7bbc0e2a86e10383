package io.ployer.plugin.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.PluginContext;
import io.ployer.spi.git.GitProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The plugin loads through {@link ServiceLoader} and makes the {@code bitbucket} provider. */
class BitbucketPluginTest {
    private static final PluginContext CONTEXT = new PluginContext() {
    };

    @Test
    void isFoundByTheServiceLoaderWithOneFactoryNamedBitbucket() {
        List<PloyerPlugin> plugins = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(BitbucketPlugin.class::isInstance).toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).gitProviderFactories()).extracting(GitProviderFactory::name).containsExactly("bitbucket");
        assertThat(plugins.get(0).storageFactories()).isEmpty();
    }

    @Test
    void createsAProviderFromEmptyConfiguration() {
        GitProviderFactory factory = factory();
        assertThat(factory.configKeys()).isEmpty();
        assertThat(factory.create(Map.of(), CONTEXT)).isNotNull();
    }

    @Test
    void refusesAnUnknownConfigurationKey() {
        assertThatThrownBy(() -> factory().create(Map.of("colour", "blue"), CONTEXT))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("colour: unknown key");
                });
    }

    private static GitProviderFactory factory() {
        return new BitbucketPlugin().gitProviderFactories().get(0);
    }
}
