package io.ployer.plugin.notifiers;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.spi.PloyerPlugin;
import io.ployer.spi.notify.NotifierFactory;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class NotifiersPluginTest {

    @Test
    void isFoundByTheServiceLoaderWithTheSixNotifiersAndNothingElse() {
        List<PloyerPlugin> plugins = ServiceLoader.load(PloyerPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(NotifiersPlugin.class::isInstance).toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.get(0).notifierFactories()).extracting(NotifierFactory::name)
                .containsExactly("webhook", "slack", "discord", "telegram", "teams", "email");
        assertThat(plugins.get(0).gitProviderFactories()).isEmpty();
        assertThat(plugins.get(0).storageFactories()).isEmpty();
    }
}
