package io.ployer.spi.proxy;

import io.ployer.api.container.Endpoint;
import java.util.List;
import java.util.Objects;

/**
 * The route of one application.
 *
 * @param applicationId the application (the route's identity)
 * @param hosts         hostnames, lower-case ASCII, at least one
 * @param upstreams     where requests go, at least one
 * @param tls           how the hosts are served
 */
public record Route(String applicationId, List<String> hosts, List<Endpoint> upstreams, TlsMode tls) {
    public Route {
        Objects.requireNonNull(applicationId, "applicationId");
        hosts = List.copyOf(hosts);
        upstreams = List.copyOf(upstreams);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one host");
        }
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("a route needs at least one upstream");
        }
        tls = tls == null ? TlsMode.AUTO : tls;
    }
}
