package io.ployer.spi.proxy;

/**
 * Whether the proxy answers.
 *
 * @param reachable whether it answered
 * @param detail    version or error, for humans
 * @param routes    how many Ployer routes it has
 */
public record ProxyStatus(boolean reachable, String detail, int routes) {
}
