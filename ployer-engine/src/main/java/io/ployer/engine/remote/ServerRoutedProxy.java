package io.ployer.engine.remote;

import io.ployer.spi.proxy.ProxyStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local reverse proxy, and each remote server's Caddy behind it: a route goes to the proxy of
 * the server its upstream container runs on, so an application's domains are served by that server
 * (while it moves, by the old one until the new one is switched in). What a server that
 * cannot be reached was last given stands in for its routes (the reconciler sees no drift it could
 * not repair anyway, and pushes them again when the server answers: its Caddy may have restarted).
 */
public final class ServerRoutedProxy implements ReverseProxy {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRoutedProxy.class);

    private final ReverseProxy local;
    private final RemoteServers servers;
    /** Server id → the routes last pushed to its proxy. */
    private final Map<String, List<Route>> pushed = new ConcurrentHashMap<>();

    public ServerRoutedProxy(ReverseProxy local, RemoteServers servers) {
        this.local = local;
        this.servers = servers;
    }

    @Override
    public java.util.Set<io.ployer.spi.proxy.ProxyCapability> capabilities() {
        return local.capabilities();
    }

    @Override
    public java.util.Optional<io.ployer.spi.proxy.TlsMode> tlsFor(String hostname) {
        return local.tlsFor(hostname);
    }

    @Override
    public java.util.Optional<java.net.InetSocketAddress> httpsAddress() {
        return local.httpsAddress();
    }

    @Override
    public void start() {
        local.start();
    }

    @Override
    public void apply(Route route) {
        Optional<String> server = servers.serverOf(route);
        removeElsewhere(route.applicationId(), server);
        if (server.isEmpty()) {
            local.apply(route);
            return;
        }
        Optional<ReverseProxy> proxy = servers.proxy(server.get());
        if (proxy.isEmpty()) {
            LOG.warn("application {} runs on a remote server, but only Caddy can be run there as its proxy: no route",
                    route.applicationId());
            return;
        }
        proxy.get().apply(route);
        pushed.compute(server.get(), (id, routes) -> {
            List<Route> next = new ArrayList<>(routes == null ? List.of() : routes);
            next.removeIf(existing -> existing.applicationId().equals(route.applicationId()));
            next.add(route);
            return List.copyOf(next);
        });
    }

    /** An application moved to {@code server}: the proxies it was served by before drop its route. */
    private void removeElsewhere(String applicationId, Optional<String> server) {
        if (server.isPresent()) {
            try {
                local.remove(applicationId);
            } catch (RuntimeException e) {
                LOG.debug("route of {} not removed from the local proxy: {}", applicationId, e.getMessage());
            }
        }
        servers.inUse(true).forEach((serverId, remote) -> {
            if (!server.equals(Optional.of(serverId)) && remote.proxy != null && remote.proxyReady
                    && pushed.getOrDefault(serverId, java.util.List.of()).stream()
                    .anyMatch(route -> route.applicationId().equals(applicationId))) {
                remote.proxy.remove(applicationId);
                pushed.computeIfPresent(serverId, (id, routes) -> routes.stream()
                        .filter(route -> !route.applicationId().equals(applicationId)).toList());
            }
        });
    }

    /** Removes the route here and on every reachable server (an application may just have moved away from one). */
    @Override
    public void remove(String applicationId) {
        local.remove(applicationId);
        servers.inUse(true).forEach((serverId, remote) -> {
            if (remote.proxy != null && remote.proxyReady) {
                remote.proxy.remove(applicationId);
                pushed.computeIfPresent(serverId, (id, routes) -> routes.stream()
                        .filter(route -> !route.applicationId().equals(applicationId)).toList());
            }
        });
    }

    @Override
    public void replaceAll(List<Route> routes) {
        Map<String, List<Route>> byServer = new HashMap<>();
        List<Route> here = new ArrayList<>();
        for (Route route : routes) {
            Optional<String> server = servers.serverOf(route);
            if (server.isPresent()) {
                byServer.computeIfAbsent(server.get(), id -> new ArrayList<>()).add(route);
            } else {
                here.add(route);
            }
        }
        local.replaceAll(here);
        servers.routedServers().forEach(serverId -> byServer.putIfAbsent(serverId, List.of()));
        byServer.forEach((serverId, serverRoutes) -> {
            try {
                servers.proxy(serverId).ifPresent(proxy -> {
                    proxy.replaceAll(serverRoutes);
                    pushed.put(serverId, List.copyOf(serverRoutes));
                });
            } catch (RuntimeException e) {
                LOG.debug("routes of server {} not pushed: {}", serverId, e.getMessage());
            }
        });
    }

    @Override
    public List<Route> routes() {
        List<Route> all = new ArrayList<>(local.routes());
        for (String serverId : servers.routedServers()) {
            List<Route> known = pushed.getOrDefault(serverId, List.of());
            try {
                Optional<ReverseProxy> proxy = servers.proxy(serverId);
                all.addAll(proxy.isPresent() ? proxy.get().routes() : known);
            } catch (RuntimeException unreachable) {
                all.addAll(known);
            }
        }
        return all;
    }

    /** The local proxy's status (each server's Caddy is probed with the server). */
    @Override
    public ProxyStatus status() {
        return local.status();
    }

    /** Closes the local proxy; the servers' proxies close with {@link RemoteServers}. */
    @Override
    public void close() {
        local.close();
    }
}
