package io.ployer.spi.storage;

import io.ployer.spi.plugin.PluginFactory;

/** Makes a {@link Storage}. */
public interface StorageFactory extends PluginFactory<Storage> {
}
