package io.ployer.spi.proxy;

import io.ployer.spi.plugin.PluginFactory;

/** Makes a {@link ReverseProxy}. */
public interface ReverseProxyFactory extends PluginFactory<ReverseProxy> {
}
