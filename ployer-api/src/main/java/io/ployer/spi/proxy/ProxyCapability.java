package io.ployer.spi.proxy;

/**
 * What a {@link ReverseProxy} can do beyond the core contract (routing hosts to upstreams, idempotent
 * apply/remove/replaceAll, zero failed requests across an upstream switch). A proxy declares its
 * capabilities in {@link ReverseProxy#capabilities()}; the compatibility kit tests each declared one and
 * checks that an undeclared one fails cleanly.
 */
public enum ProxyCapability {
    /**
     * A request to an upstream that is not listening yet is held and retried for a few seconds instead
     * of answered with an error. Without it the proxy answers a 5xx status at once.
     */
    RETRIES_LATE_UPSTREAM,
    /**
     * The proxy obtains certificates and serves HTTPS: {@link TlsMode#INTERNAL} routes are served over
     * TLS with the proxy's own CA. Without it, {@link TlsMode#AUTO} routes are served over plain HTTP and
     * an {@link TlsMode#INTERNAL} route is refused by {@link ReverseProxy#apply(Route)} with a CONFIGURATION
     * {@link io.ployer.api.PloyerException} that says the proxy does not manage TLS.
     */
    MANAGES_TLS,
    /**
     * Hosts may start with {@code *.} (one label of any name). Without it, {@link ReverseProxy#apply(Route)}
     * refuses such a route with a CONFIGURATION {@link io.ployer.api.PloyerException} naming the host, and
     * adds nothing.
     */
    WILDCARD_HOSTS
}
