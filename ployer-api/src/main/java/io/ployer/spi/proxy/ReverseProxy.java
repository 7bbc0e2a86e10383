package io.ployer.spi.proxy;

import java.util.List;

/**
 * Routes hostnames to application containers. Every operation is idempotent: applying the same
 * route twice, or removing an absent one, changes nothing. Failures are
 * {@link io.ployer.api.PloyerException}s with code PROXY_FAILURE.
 */
public interface ReverseProxy extends AutoCloseable {

    /**
     * What this proxy can do beyond the core contract; none by default. The engine and the compatibility
     * kit read it; a capability not declared fails cleanly (see {@link ProxyCapability}).
     */
    default java.util.Set<ProxyCapability> capabilities() {
        return java.util.Set.of();
    }

    /**
     * Connects and prepares whatever the proxy needs (a server block, a config file …). Idempotent: a
     * second call on a started proxy keeps its routes. The engine retries a failing start with backoff.
     */
    void start();

    /** Creates or replaces the route of {@code route.applicationId()}. */
    void apply(Route route);

    /** Removes the route of an application, if present. */
    void remove(String applicationId);

    /** Makes the proxy's routes exactly {@code routes}: applies each, removes every other Ployer route. */
    void replaceAll(List<Route> routes);

    /** The Ployer routes the proxy has now. */
    List<Route> routes();

    /** Whether the proxy answers, and what it says. */
    ProxyStatus status();

    /**
     * How the proxy serves {@code hostname} over TLS: {@link TlsMode#NONE} for plain HTTP only,
     * {@link TlsMode#INTERNAL} with a certificate of its own CA (names a public CA cannot certify),
     * {@link TlsMode#AUTO} with a certificate from a public CA, obtained once the name's DNS points at
     * the proxy. Empty when the proxy does not say (the default, so older proxies still load).
     */
    default java.util.Optional<TlsMode> tlsFor(String hostname) {
        return java.util.Optional.empty();
    }

    /**
     * Where this host reaches the proxy's HTTPS listener (an unresolved address: a listener on every
     * interface is reached on {@code 127.0.0.1}), for the engine's certificate checks. Empty when the
     * proxy serves no HTTPS or does not say (the default, so older proxies still load: their
     * certificates are then not checked).
     */
    default java.util.Optional<java.net.InetSocketAddress> httpsAddress() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
