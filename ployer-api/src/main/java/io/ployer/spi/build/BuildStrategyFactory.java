package io.ployer.spi.build;

import io.ployer.spi.plugin.PluginFactory;

/** Makes a {@link BuildStrategy}. Every discovered build strategy is available to applications by name. */
public interface BuildStrategyFactory extends PluginFactory<BuildStrategy> {
}
