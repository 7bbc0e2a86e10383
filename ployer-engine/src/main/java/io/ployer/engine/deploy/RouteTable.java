package io.ployer.engine.deploy;

import io.ployer.api.application.Domain;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The routes Ployer wants the proxy to have: an application's domains to its serving endpoint (a stack's
 * to each routed service's, see {@link ServiceRoutes}). An application's routes and the deployment serving it change together under its route lock (the
 * pipeline's switch and the {@link Reconciler} both take it).
 */
final class RouteTable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouteTable.class);
    private final Storage storage;
    private final Optional<ReverseProxy> proxy;
    private final Optional<ContainerRuntime> runtime;
    private final Map<String, Object> routeLocks = new ConcurrentHashMap<>();
    /** Told when the proxy refuses or does not answer a change (the reconciler then watches it closely). */
    private volatile Runnable proxyTrouble = () -> { };

    RouteTable(Storage storage, Optional<ReverseProxy> proxy, Optional<ContainerRuntime> runtime) {
        this.storage = storage;
        this.proxy = proxy;
        this.runtime = runtime;
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

    /** The routes of an application to where it serves; empty when the application has no domain. */
    List<Route> routesFor(String applicationId, ServiceRoutes.Serving serving) {
        return ServiceRoutes.routes(applicationId, storage.domains().listByApplication(applicationId), serving);
    }

    /**
     * The routes of a running deployment whose container answers at {@code primary}; a stack's further routed
     * services are looked up in the runtime (throws when it does not answer).
     */
    List<Route> routesOf(Deployment deployment, Endpoint primary) {
        List<Domain> domains = storage.domains().listByApplication(deployment.applicationId());
        if (domains.isEmpty()) {
            return List.of();
        }
        return ServiceRoutes.routes(deployment.applicationId(), domains,
                ServiceRoutes.serving(runtime.orElse(null), deployment, primary, domains));
    }

    /** Points the application's domains at the new deployment (the switch); says in the log what happened. */
    void switchTo(String applicationId, ServiceRoutes.Serving serving, DeploymentLog log) {
        if (proxy.isEmpty()) {
            log.system("No reverse proxy configured: the app is reachable at " + serving.primary().address());
            return;
        }
        List<Route> routes = routesFor(applicationId, serving);
        if (routes.isEmpty()) {
            log.system("The app has no domain: no route to switch; it is reachable at " + serving.primary().address());
        }
        for (Route route : routes) {
            apply(route);
            log.system("Switched " + String.join(", ", route.hosts()) + " to " + route.upstreams().get(0).address());
        }
        if (serving.primaryService() != null) {
            try {
                removeOthers(applicationId, routes.stream().map(Route::applicationId).collect(Collectors.toSet()));
            } catch (RuntimeException e) {
                LOG.warn("could not remove the stale service routes of application {}: {}", applicationId, e.getMessage());
            }
        }
    }

    /** Removes the application's routes (its further routed services' too). */
    void removeAll(String applicationId) {
        if (proxy.isPresent()) {
            removeOthers(applicationId, Set.of());
        }
    }

    /** Removes the application's routes not in {@code kept}. */
    private void removeOthers(String applicationId, Set<String> kept) {
        if (!kept.contains(applicationId)) {
            proxy.get().remove(applicationId);
        }
        for (Route route : proxy.get().routes()) {
            if (ServiceRoutes.isServiceRouteOf(route.applicationId(), applicationId) && !kept.contains(route.applicationId())) {
                proxy.get().remove(route.applicationId());
            }
        }
    }

    /** Pushes the routes of an application's running deployment again (after its domains changed). */
    void refresh(String applicationId) {
        if (proxy.isEmpty()) {
            return;
        }
        synchronized (routeLock(applicationId)) {
            Optional<Deployment> running = storage.deployments().findByApplicationAndStatus(applicationId,
                    EnumSet.of(DeploymentStatus.RUNNING)).stream().reduce((first, second) -> second);
            boolean stopped = storage.applications().findById(applicationId)
                    .map(app -> app.status() == io.ployer.api.application.ApplicationStatus.STOPPED).orElse(false);
            List<Route> routes = running.filter(deployment -> deployment.endpoint() != null && !stopped)
                    .map(deployment -> routesOf(deployment, Endpoint.parse(deployment.endpoint()))).orElse(List.of());
            routes.forEach(this::apply);
            removeOthers(applicationId, routes.stream().map(Route::applicationId).collect(Collectors.toSet()));
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
