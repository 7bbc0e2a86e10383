package io.ployer.testkit.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.git.GitProviderFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * What every git provider plugin promises about loading: {@link ServiceLoader} finds exactly one
 * instance of it, it offers one factory under its provider name and nothing else, the factory
 * works from empty configuration and refuses unknown keys by name. Extend it next to the plugin,
 * as the {@link GitProviderCompatibilityKit} is extended for the provider itself.
 */
public abstract class GitPluginKit {
    private static final PluginContext CONTEXT = new PluginContext() {
    };

    /** The plugin class under test (registered in META-INF/services). */
    protected abstract Class<? extends PloyerPlugin> pluginClass();

    /** The provider name its factory registers ({@code github}, {@code gitlab} …). */
    protected abstract String providerName();

    @Test
    void isFoundByTheServiceLoaderWithOneFactoryUnderItsName() {
        List<PloyerPlugin> plugins = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(pluginClass()::isInstance).toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).gitProviderFactories()).extracting(GitProviderFactory::name).containsExactly(providerName());
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

    private GitProviderFactory factory() {
        return ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get).filter(pluginClass()::isInstance)
                .findFirst().orElseThrow().gitProviderFactories().get(0);
    }
}
