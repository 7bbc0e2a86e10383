package io.ployer.engine.deploy;

import io.ployer.api.application.Domain;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes Ployer wants the proxy to have: an application's domains to its serving endpoint. An
 * application's route and the deployment serving it change together under its route lock (the
 * pipeline's switch and the {@link Reconciler} both take it).
 */
final class RouteTable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouteTable.class);
    private final Storage storage;
    private final Optional<ReverseProxy> proxy;
    private final Map<String, Object> routeLocks = new ConcurrentHashMap<>();
    /** Told when the proxy refuses or does not answer a change (the reconciler then watches it closely). */
    private volatile Runnable proxyTrouble = () -> { };

    RouteTable(Storage storage, Optional<ReverseProxy> proxy) {
        this.storage = storage;
        this.proxy = proxy;
    }

    void onProxyTrouble(Runnable listener) {
        proxyTrouble = listener;
    }

    private void apply(Route route) {
        try {
            proxy.get().apply(route);
        } catch (RuntimeException e) {
            proxyTrouble.run();
            throw e;
        }
    }

    /** The lock under which an application's route and the deployment serving it change together. */
    Object routeLock(String applicationId) {
        return routeLocks.computeIfAbsent(applicationId, id -> new Object());
    }

    /** The route of an application to an endpoint; empty when the application has no domain. */
    Optional<Route> routeFor(String applicationId, Endpoint endpoint) {
        List<String> hosts = storage.domains().listByApplication(applicationId).stream().map(Domain::hostname).toList();
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Route(applicationId, hosts, List.of(endpoint), TlsMode.AUTO));
    }

    /** Points the application's domains at a new endpoint (the switch); says in the log what happened. */
    void switchTo(String applicationId, Endpoint endpoint, DeploymentLog log) {
        if (proxy.isEmpty()) {
            log.system("No reverse proxy configured: the app is reachable at " + endpoint.address());
            return;
        }
        Optional<Route> route = routeFor(applicationId, endpoint);
        if (route.isEmpty()) {
            log.system("The app has no domain: no route to switch; it is reachable at " + endpoint.address());
            return;
        }
        apply(route.get());
        log.system("Switched " + String.join(", ", route.get().hosts()) + " to " + endpoint.address());
    }

    /** Pushes the route of an application's running deployment again (after its domains changed). */
    void refresh(String applicationId) {
        if (proxy.isEmpty()) {
            return;
        }
        synchronized (routeLock(applicationId)) {
            Optional<Deployment> running = storage.deployments().findByApplicationAndStatus(applicationId,
                    EnumSet.of(DeploymentStatus.RUNNING)).stream().reduce((first, second) -> second);
            boolean stopped = storage.applications().findById(applicationId)
                    .map(app -> app.status() == io.ployer.api.application.ApplicationStatus.STOPPED).orElse(false);
            Optional<Route> route = running.filter(deployment -> deployment.endpoint() != null && !stopped)
                    .flatMap(deployment -> routeFor(applicationId, Endpoint.parse(deployment.endpoint())));
            if (route.isPresent()) {
                apply(route.get());
            } else {
                proxy.get().remove(applicationId);
            }
        }
    }

    /** Stores a moved endpoint (the runtime restarted and published the port anew), if the deployment still serves. */
    void recordEndpoint(Deployment deployment, Endpoint endpoint) {
        synchronized (routeLock(deployment.applicationId())) {
            Optional<Deployment> current = storage.deployments().findById(deployment.id());
            if (current.isPresent() && current.get().status() == DeploymentStatus.RUNNING) {
                Deployment moved = current.get().withContainer(current.get().containerId(), endpoint.address());
                storage.inTransaction(tx -> {
                    tx.deployments().update(moved);
                    return null;
                });
                LOG.info("deployment {} now answers on {}", deployment.id(), endpoint.address());
            }
        }
    }
}
