package io.ployer.spi.runtime;

import io.ployer.spi.plugin.PluginFactory;

/** Makes a {@link ContainerRuntime}. */
public interface ContainerRuntimeFactory extends PluginFactory<ContainerRuntime> {
}
