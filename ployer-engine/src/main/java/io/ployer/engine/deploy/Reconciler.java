package io.ployer.engine.deploy;

import io.ployer.api.Administration.ReconcileStatus;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller loop that keeps the reverse proxy and the container runtime converged on what
 * storage says, whatever restarts underneath: every {@code reconcile.interval} (and every second
 * while the proxy does not answer, so its return is noticed at once) it reads the desired state
 * (the RUNNING deployment of each application and its domains), the actual state (containers,
 * the proxy's routes) and converges with idempotent actions, in an order that never takes a route
 * away before its replacement is in place:
 * <ol>
 *     <li>stopped containers of RUNNING deployments are started again (missing ones are reported);</li>
 *     <li>missing or wrong routes are applied;</li>
 *     <li>routes of applications that serve nothing are removed;</li>
 *     <li>containers no deployment owns (and no route points at) are removed.</li>
 * </ol>
 * Each change of an application's route is made under the pipeline's route lock of that
 * application, re-reading storage inside it, so a pass never undoes a switch that happened meanwhile.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration WHILE_UNREACHABLE = Duration.ofSeconds(1);

    private final Storage storage;
    private final Optional<ContainerRuntime> runtime;
    private final Optional<ReverseProxy> proxy;
    private final DeploymentPipeline pipeline;
    private final String instanceId;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final OrphanSweep orphans;
    private final Object passLock = new Object();
    private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
    private final AtomicLong drifts = new AtomicLong();
    private final AtomicLong routeRepairs = new AtomicLong();
    private final AtomicLong routeRemovals = new AtomicLong();
    private final AtomicLong containerRestarts = new AtomicLong();
    private final AtomicLong missingContainers = new AtomicLong();
    private final AtomicLong orphansRemoved = new AtomicLong();
    private volatile ReconcileStatus status;
    private volatile boolean proxyAnswered = true;
    private volatile boolean runtimeAnswered = true;
    private volatile boolean closed;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private ScheduledFuture<?> next;

    public Reconciler(Storage storage, Optional<ContainerRuntime> runtime, Optional<ReverseProxy> proxy,
                      DeploymentPipeline pipeline, String instanceId, Duration interval, Clock clock,
                      ThreadFactory threadFactory) {
        this.storage = storage;
        this.runtime = runtime;
        this.proxy = proxy;
        this.pipeline = pipeline;
        this.instanceId = instanceId;
        this.interval = interval;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(threadFactory);
        this.orphans = new OrphanSweep(storage, pipeline, instanceId);
    }

    /** Starts the loop; the first pass runs after one interval (start-up reconciliation already ran). */
    public void start() {
        schedule(interval);
    }

    /** Asks for a pass now (an event said something changed underneath); requests while one waits coalesce. */
    public void trigger() {
        if (closed || !triggered.compareAndSet(false, true)) {
            return;
        }
        try {
            timer.execute(() -> {
                triggered.set(false);
                passQuietly();
            });
        } catch (RejectedExecutionException closing) {
            triggered.set(false);
        }
    }

    /** The next timed pass {@code delay} from now (replacing the one planned); every pass plans the next. */
    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = timer.schedule(this::passQuietly, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    private void passQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("reconciliation pass failed: {}", e.getMessage());
        }
        schedule(proxyAnswered || interval.compareTo(WHILE_UNREACHABLE) <= 0 ? interval : WHILE_UNREACHABLE);
    }

    /** What the last pass found; empty before the first one. */
    public Optional<ReconcileStatus> status() {
        return Optional.ofNullable(status);
    }

    /**
     * Compares the proxy with storage now, changing nothing (for health answers): the desired routes
     * use the endpoints storage knows, the counters are those of the passes so far.
     */
    public ReconcileStatus inspect() {
        Map<String, Deployment> serving = servingDeployments();
        Map<String, Endpoint> endpoints = new TreeMap<>();
        serving.values().stream().filter(deployment -> deployment.endpoint() != null)
                .forEach(deployment -> endpoints.put(deployment.applicationId(), Endpoint.parse(deployment.endpoint())));
        Map<String, Route> desired = desiredRoutes(serving, endpoints);
        List<Route> actual = proxy.isEmpty() ? null : readRoutes();
        return report(proxy.isEmpty() ? "none" : actual == null ? "unreachable"
                : RouteFingerprint.of(desired.values()).equals(RouteFingerprint.of(actual)) ? "in_sync" : "drifted", desired, actual);
    }

    private ReconcileStatus report(String proxyState, Map<String, Route> desired, List<Route> actual) {
        return new ReconcileStatus(proxyState, RouteFingerprint.of(desired.values()), actual == null ? null : RouteFingerprint.of(actual),
                desired.size(), actual == null ? -1 : actual.size(), drifts.get(), routeRepairs.get(), routeRemovals.get(),
                containerRestarts.get(), missingContainers.get(), orphansRemoved.get(), clock.instant());
    }

    /** One pass: converge containers, routes and orphans on storage. Safe to call from any thread. */
    public ReconcileStatus runOnce() {
        synchronized (passLock) {
            Map<String, Deployment> serving = servingDeployments();
            Map<String, Endpoint> endpoints = ensureContainers(serving);
            String proxyState;
            List<Route> actual = null;
            Map<String, Route> desired = desiredRoutes(serving, endpoints);
            if (proxy.isEmpty()) {
                proxyState = "none";
            } else {
                actual = readRoutes();
                if (actual == null) {
                    proxyState = "unreachable";
                    if (proxyAnswered) {
                        LOG.warn("the reverse proxy does not answer; the reconciler asks every second and puts the routes "
                                + "back when it does");
                    }
                } else {
                    if (!proxyAnswered) {
                        LOG.info("the reverse proxy answers again; checking its routes");
                    }
                    actual = converge(desired, actual, serving, endpoints);
                    proxyState = actual == null ? "unreachable"
                            : RouteFingerprint.of(desired.values()).equals(RouteFingerprint.of(actual)) ? "in_sync" : "drifted";
                }
                proxyAnswered = actual != null;
            }
            if (actual != null || proxy.isEmpty()) {
                removeOrphans(serving, actual == null ? List.of() : actual);
            }
            ReconcileStatus result = report(proxyState, desired, actual);
            status = result;
            return result;
        }
    }

    /** The newest RUNNING deployment of each application that is not STOPPED on request (those keep no route). */
    private Map<String, Deployment> servingDeployments() {
        Map<String, Deployment> serving = new TreeMap<>();
        for (Deployment deployment : storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING))) {
            serving.merge(deployment.applicationId(), deployment, (first, second) ->
                    second.createdAt().isAfter(first.createdAt()) ? second : first);
        }
        serving.keySet().removeIf(id -> storage.applications().findById(id).map(app -> app.status() == ApplicationStatus.STOPPED).orElse(false));
        return serving;
    }

    /** Starts stopped containers of serving deployments; returns where each one answers now. */
    private Map<String, Endpoint> ensureContainers(Map<String, Deployment> serving) {
        Map<String, Endpoint> endpoints = new TreeMap<>();
        for (Deployment deployment : serving.values()) {
            if (deployment.endpoint() != null) {
                endpoints.put(deployment.applicationId(), Endpoint.parse(deployment.endpoint()));
            }
        }
        if (runtime.isEmpty()) {
            return endpoints;
        }
        ContainerRuntime containerRuntime = runtime.get();
        for (Deployment deployment : serving.values()) {
            if (deployment.containerId() == null) {
                continue;
            }
            try {
                Optional<ContainerInfo> info = containerRuntime.inspectContainer(deployment.containerId());
                if (info.isEmpty()) {
                    if (reportedMissing.add(deployment.id())) {
                        missingContainers.incrementAndGet();
                        LOG.warn("the container of application {} (running deployment {}) is gone; deploy again or roll "
                                + "back to bring the app back", deployment.applicationId(), deployment.id());
                    }
                    continue;
                }
                reportedMissing.remove(deployment.id());
                // A container the runtime's restart policy is bringing back ("restarting") is left to it.
                if (!info.get().running() && !"restarting".equals(info.get().state()) && !pipeline.holds(deployment.id())
                        && shouldRun(deployment.applicationId())) {
                    LOG.warn("the container of application {} (running deployment {}) was stopped; starting it again",
                            deployment.applicationId(), deployment.id());
                    containerRuntime.startContainer(deployment.containerId());
                    containerRestarts.incrementAndGet();
                    info = containerRuntime.inspectContainer(deployment.containerId());
                }
                Optional<Endpoint> endpoint = info.flatMap(ContainerInfo::publishedEndpoint);
                if (endpoint.isPresent()) {
                    endpoints.put(deployment.applicationId(), endpoint.get());
                    if (!endpoint.get().address().equals(deployment.endpoint())) {
                        pipeline.recordEndpoint(deployment, endpoint.get());
                    }
                }
            } catch (RuntimeException e) {
                runtimeTrouble("could not check the container of deployment " + deployment.id(), e);
            }
        }
        return endpoints;
    }

    /**
     * Whether the application should be running: RUNNING, not stopped on request nor given up on by the
     * health monitor (CRASH_LOOPING: restarting it here would defeat the crash-loop cap).
     */
    private boolean shouldRun(String applicationId) {
        return storage.applications().findById(applicationId)
                .map(application -> application.status() == io.ployer.api.application.ApplicationStatus.RUNNING).orElse(false);
    }

    /** The routes that should be, by route id (a stack's further routed services have routes of their own). */
    private Map<String, Route> desiredRoutes(Map<String, Deployment> serving, Map<String, Endpoint> endpoints) {
        Map<String, Route> desired = new TreeMap<>();
        for (Deployment deployment : serving.values()) {
            Endpoint endpoint = endpoints.get(deployment.applicationId());
            if (endpoint != null) {
                pipeline.routesOf(deployment, endpoint).forEach(route -> desired.put(route.applicationId(), route));
            }
        }
        return desired;
    }

    /** The proxy's routes, or null when it does not answer. */
    private List<Route> readRoutes() {
        try {
            if (!proxy.get().status().reachable()) {
                return null;
            }
            return proxy.get().routes();
        } catch (RuntimeException e) {
            LOG.debug("the reverse proxy does not answer: {}", e.getMessage());
            return null;
        }
    }

    /** Applies missing or wrong routes, then removes stale ones; returns the proxy's routes afterwards. */
    private List<Route> converge(Map<String, Route> desired, List<Route> actual, Map<String, Deployment> serving,
                                 Map<String, Endpoint> endpoints) {
        Map<String, String> actualKeys = new LinkedHashMap<>();
        actual.forEach(route -> actualKeys.put(route.applicationId(), RouteFingerprint.key(route)));
        List<String> wrong = new ArrayList<>();
        for (Route route : desired.values()) {
            if (!RouteFingerprint.key(route).equals(actualKeys.get(route.applicationId()))) {
                wrong.add(route.applicationId());
            }
        }
        List<String> stale = actualKeys.keySet().stream().filter(applicationId -> !desired.containsKey(applicationId)).toList();
        if (wrong.isEmpty() && stale.isEmpty()) {
            return actual;
        }
        long drift = drifts.incrementAndGet();
        LOG.warn("the reverse proxy drifted from Ployer's routes (drift #{}): {} route(s) missing or wrong {}, {} stale {}; "
                + "repairing", drift, wrong.size(), wrong, stale.size(), stale);
        try {
            // First route to what should serve ...
            for (String routeId : wrong) {
                synchronized (pipeline.routeLock(ServiceRoutes.applicationOf(routeId))) {
                    Optional<Route> route = currentRoute(routeId, serving, endpoints);
                    if (route.isPresent()) {
                        proxy.get().apply(route.get());
                        routeRepairs.incrementAndGet();
                        LOG.info("restored the route {}: {} -> {}", routeId,
                                String.join(", ", route.get().hosts()), route.get().upstreams().get(0).address());
                    }
                }
            }
            // ... then take away what should not.
            for (String routeId : stale) {
                synchronized (pipeline.routeLock(ServiceRoutes.applicationOf(routeId))) {
                    if (currentRoute(routeId, serving, endpoints).isEmpty()) {
                        proxy.get().remove(routeId);
                        routeRemovals.incrementAndGet();
                        LOG.info("removed the stale route {} (it serves nothing)", routeId);
                    }
                }
            }
            return proxy.get().routes();
        } catch (RuntimeException e) {
            LOG.warn("could not repair the proxy's routes: {}", e.getMessage());
            return readRoutes();
        }
    }

    /**
     * The route (of an application, or of a stack's further routed service) that should be now, read again from storage (under its route lock): a
     * deployment may have switched since the pass began.
     */
    private Optional<Route> currentRoute(String routeId, Map<String, Deployment> serving, Map<String, Endpoint> endpoints) {
        String applicationId = ServiceRoutes.applicationOf(routeId);
        Optional<Deployment> running = storage.deployments().findByApplicationAndStatus(applicationId,
                EnumSet.of(DeploymentStatus.RUNNING)).stream().reduce((first, second) ->
                second.createdAt().isAfter(first.createdAt()) ? second : first);
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Deployment before = serving.get(applicationId);
        Endpoint endpoint = before != null && before.id().equals(running.get().id()) && endpoints.containsKey(applicationId)
                ? endpoints.get(applicationId)
                : running.get().endpoint() == null ? null : Endpoint.parse(running.get().endpoint());
        return endpoint == null ? Optional.empty() : pipeline.routesOf(running.get(), endpoint).stream()
                .filter(route -> route.applicationId().equals(routeId)).findFirst();
    }

    /** Removes orphan containers (see {@link OrphanSweep}); the runtime's trouble is logged once. */
    private void removeOrphans(Map<String, Deployment> serving, List<Route> routes) {
        if (runtime.isEmpty()) {
            return;
        }
        try {
            orphans.sweep(runtime.get(), serving, routes, orphansRemoved);
            runtimeAnswered = true;
        } catch (RuntimeException e) {
            runtimeTrouble("could not look for orphan containers", e);
        }
    }

    /** Logs the runtime's trouble once when it starts (a warning), then quietly until it answers again. */
    private void runtimeTrouble(String what, RuntimeException e) {
        if (runtimeAnswered) {
            runtimeAnswered = false;
            LOG.warn("{}: {} (the reconciler keeps trying every pass)", what, e.getMessage());
        } else {
            LOG.debug("{}: {}", what, e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
