package io.ployer.spi.proxy;

import io.ployer.api.container.Endpoint;
import java.util.List;
import java.util.Objects;

/**
 * The route of one application, or of one further routed service of a stack.
 *
 * @param applicationId the route's identity: the application's id; for a stack (Compose application) whose
 *                      domains name several services, the route of each service besides the primary one is
 *                      {@code <application id>~<service>} (a proxy stores and removes it like any other id)
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
