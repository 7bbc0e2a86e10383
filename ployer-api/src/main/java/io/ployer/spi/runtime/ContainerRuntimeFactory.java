package io.ployer.spi.runtime;

import io.ployer.spi.PluginFactory;

/** Makes a {@link ContainerRuntime}. */
public interface ContainerRuntimeFactory extends PluginFactory<ContainerRuntime> {
}
