package io.ployer.api;

/**
 * A plugin handed to {@link PloyerBuilder#plugin}. Plugins implement the SPI's
 * {@code io.ployer.spi.PloyerPlugin}, which extends this interface and declares what a plugin
 * provides; this API names only the marker so that it never depends on the SPI (the SPI builds on
 * the API's types, in that one direction). Implementing this interface alone makes no plugin: the
 * builder refuses it.
 */
public interface Plugin {
}
