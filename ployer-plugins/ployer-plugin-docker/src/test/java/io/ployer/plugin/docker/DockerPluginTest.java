package io.ployer.plugin.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.plugin.PluginFactory;
import io.ployer.spi.build.BuildStrategy;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Loads the plugin as the engine does and checks its factories and config validation; needs no Docker. */
class DockerPluginTest {
    private static final PluginContext EMPTY = new PluginContext() {
    };

    @Test
    void isFoundByServiceLoaderWithItsFactories() {
        List<PloyerPlugin> plugins = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(plugin -> plugin instanceof DockerPlugin).toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).containerRuntimeFactories()).extracting(PluginFactory::name).containsExactly("docker");
        assertThat(plugins.get(0).buildStrategyFactories()).extracting(PluginFactory::name)
                .containsExactly("dockerfile", "image", "static");
    }

    @Test
    void rejectsUnknownRuntimeConfiguration() {
        assertThatThrownBy(() -> new DockerPlugin().containerRuntimeFactories().get(0).create(Map.of("colour", "blue"), EMPTY))
                .isInstanceOfSatisfying(PloyerException.class, error -> {
                    assertThat(error.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
                    assertThat(error.getMessage()).contains("colour");
                });
    }

    private static BuildStrategy strategy(String name) {
        return new DockerPlugin().buildStrategyFactories().stream().filter(factory -> factory.name().equals(name)).findFirst()
                .orElseThrow().create(Map.of(), EMPTY);
    }

    @Test
    void dockerfilePathsMustStayInsideTheRepository() {
        BuildStrategy dockerfile = strategy("dockerfile");
        for (String escape : List.of("../Dockerfile", "/etc/passwd", "a/../../b", "-f")) {
            assertThatThrownBy(() -> dockerfile.validate(Map.of("dockerfile", escape)))
                    .isInstanceOfSatisfying(PloyerException.class, error ->
                            assertThat(error.field()).contains("build_config.dockerfile"));
        }
        dockerfile.validate(Map.of("dockerfile", "docker/Dockerfile.prod", "context", "."));
    }

    @Test
    void theImageStrategyNeedsNoSourceAndAValidReference() {
        BuildStrategy image = strategy("image");
        assertThat(image.needsSource()).isFalse();
        assertThatThrownBy(() -> image.validate(Map.of())).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.field()).contains("build_config.image"));
        assertThatThrownBy(() -> image.validate(Map.of("image", "Not An Image;rm"))).isInstanceOf(PloyerException.class);
        image.validate(Map.of("image", "registry.example.com:5000/team/app:1.2.3"));
        // A command (a template's) becomes the image's CMD: one line of JSON array, nothing else.
        image.validate(Map.of("image", "ployer/caddy-static:latest", "command", "[\"caddy\",\"file-server\"]"));
        assertThatThrownBy(() -> image.validate(Map.of("image", "x:1", "command", "[\"a\"]\nRUN rm -rf /")))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.field()).contains("build_config.command"));
        assertThatThrownBy(() -> image.validate(Map.of("image", "x:1", "command", "caddy file-server")))
                .isInstanceOf(PloyerException.class);
    }

    @Test
    void theStaticStrategyChecksItsPort() {
        assertThatThrownBy(() -> strategy("static").validate(Map.of("port", "99999"))).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.field()).contains("build_config.port"));
    }
}
