package io.ployer.plugin.generic;

import io.ployer.spi.PloyerPlugin;
import io.ployer.testkit.git.GitPluginKit;

/** The plugin loads through the ServiceLoader and makes the {@code generic} provider. */
class GenericPluginTest extends GitPluginKit {
    @Override
    protected Class<? extends PloyerPlugin> pluginClass() {
        return GenericPlugin.class;
    }

    @Override
    protected String providerName() {
        return "generic";
    }
}
