package io.ployer.spi.storage;

import io.ployer.spi.PluginFactory;

/** Makes a {@link Storage}. */
public interface StorageFactory extends PluginFactory<Storage> {
}
