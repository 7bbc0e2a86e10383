package io.ployer.spi.git;

import io.ployer.spi.plugin.PluginFactory;

/** Makes a {@link GitProvider}. Every discovered provider is available by name for webhooks. */
public interface GitProviderFactory extends PluginFactory<GitProvider> {
}
