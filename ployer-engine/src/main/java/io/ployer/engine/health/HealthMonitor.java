package io.ployer.engine.health;

import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches running applications: each app's HTTP health check runs on its interval against the
 * running container's endpoint, results are stored (and pruned after the retention), healthy ↔
 * unhealthy transitions are events, and after the unhealthy threshold the container is restarted
 * with exponential backoff — until the restart cap within the window is reached, when the app is
 * marked {@link ApplicationStatus#CRASH_LOOPING} and left alone. One scheduler thread decides what
 * is due ({@link #runDueChecks()}, driven by the injected clock); probes are asynchronous HTTP
 * requests limited by a semaphore, so thousands of checks need no thousands of threads. A probe's
 * outcome is handled without blocking (on the HTTP client's selector thread with
 * {@link #probeClient()}): results are queued and written by the scheduler in one transaction per
 * tick, and restarts run on the scheduler thread.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /**
     * Tunables.
     *
     * @param tick            how often the scheduler looks for due checks
     * @param maxConcurrent   probes in flight at once
     * @param retention       how long results are kept
     * @param restartBackoff  wait after the first restart, doubled after each further one
     * @param maxRestarts     restarts allowed within {@code restartWindow} before the app counts as crash-looping
     * @param restartWindow   the window restarts are counted in
     */
    public record Settings(Duration tick, int maxConcurrent, Duration retention, Duration restartBackoff, int maxRestarts,
                           Duration restartWindow) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), 32, Duration.ofDays(7), Duration.ofSeconds(10), 3, Duration.ofMinutes(10));
        }
    }

    /** What the monitor remembers of one application. */
    private static final class Watch {
        Instant nextCheck;
        HealthStatus status = HealthStatus.UNKNOWN;
        int failures;
        int successes;
        final java.util.ArrayDeque<Instant> restarts = new java.util.ArrayDeque<>();
        Instant quietUntil = Instant.MIN;
        boolean inFlight;
    }

    private final Storage storage;
    private final Optional<ContainerRuntime> runtime;
    /** Asked at each probe, not at construction: with nothing to watch, no client (and no TLS) is ever made. */
    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final Consumer<PloyerEvent> events;
    private final Settings settings;
    private final Semaphore permits;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** Results not yet written: one transaction per tick instead of one per check. */
    private final java.util.concurrent.ConcurrentLinkedQueue<HealthCheckResult> unwritten = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService scheduler;
    private Instant nextPrune = Instant.MIN;
    /** What to watch, re-read from storage every few seconds rather than on every tick. */
    private List<Deployment> plannedRunning = List.of();
    private Map<String, HealthCheck> plannedChecks = Map.of();
    private Instant nextPlan = Instant.MIN;
    /** Whether an application's containers can be seen now (its remote server answers); always, by default. */
    private volatile java.util.function.Predicate<String> visible = applicationId -> true;
    private volatile java.util.function.BiFunction<String, Endpoint, Endpoint> probeEndpoints = (applicationId, endpoint) -> endpoint;
    static final Duration PLAN_REFRESH = Duration.ofSeconds(5);

    /**
     * @param http gives the client probes use (see {@link #probeClient()}); asked at every probe, so it
     *             must return the same client each time, and may make it on the first call
     */
    public HealthMonitor(Storage storage, Optional<ContainerRuntime> runtime, Supplier<HttpClient> http, Clock clock,
                         Consumer<PloyerEvent> events, Settings settings, ThreadFactory threadFactory) {
        this.storage = storage;
        this.runtime = runtime;
        this.http = http;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
        this.permits = new Semaphore(settings.maxConcurrent());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(threadFactory);
    }

    /**
     * The HTTP client probes should use: completions run on its selector thread (a probe's outcome
     * never blocks), no redirects are followed, connects time out after 5 s.
     */
    public static HttpClient probeClient() {
        return HttpClient.newBuilder().executor(Runnable::run).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Tells which applications can be seen now: one whose server cannot be reached is UNKNOWN (one
     * result and one event when it becomes so), neither probed nor restarted until it can be seen again.
     */
    public void setVisibility(java.util.function.Predicate<String> visibility) {
        this.visible = java.util.Objects.requireNonNull(visibility, "visibility");
    }

    /** Where probes reach an application's endpoint (through SSH, for an application on a remote server). */
    public void setProbeEndpoints(java.util.function.BiFunction<String, Endpoint, Endpoint> endpoints) {
        this.probeEndpoints = java.util.Objects.requireNonNull(endpoints, "endpoints");
    }

    private void unseen(Deployment deployment, Watch watch, Instant now) {
        HealthStatus before;
        synchronized (watch) {
            before = watch.status;
            watch.nextCheck = null;
            watch.failures = 0;
            watch.successes = 0;
            if (before == HealthStatus.UNKNOWN) {
                return;
            }
            watch.status = HealthStatus.UNKNOWN;
        }
        String reason = "the server the application runs on cannot be reached";
        HealthCheckResult result = new HealthCheckResult(UUID.randomUUID().toString(), deployment.applicationId(),
                HealthStatus.UNKNOWN, 0, null, reason, now);
        unwritten.add(result);
        events.accept(new PloyerEvent.HealthChecked(result));
        events.accept(new PloyerEvent.HealthChanged(deployment.applicationId(), before, HealthStatus.UNKNOWN, reason, now));
    }

    /** Writes the queued results in one transaction. Runs on every scheduler round and at close. */
    public void writeResults() {
        List<HealthCheckResult> batch = new java.util.ArrayList<>();
        for (HealthCheckResult result; (result = unwritten.poll()) != null; ) {
            batch.add(result);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            storage.inTransaction(tx -> {
                batch.forEach(tx.healthCheckResults()::insert);
                return null;
            });
        } catch (RuntimeException batchFailed) {
            // One bad row (an app deleted meanwhile) must not cost the others: write them one by one.
            for (HealthCheckResult result : batch) {
                try {
                    storage.healthCheckResults().insert(result);
                } catch (RuntimeException e) {
                    LOG.debug("health result of {} not stored: {}", result.applicationId(), e.toString());
                }
            }
        }
    }

    /** Starts the scheduler thread. */
    public void start() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runDueChecks();
            } catch (RuntimeException e) {
                LOG.warn("health monitor round failed: {}", e.toString());
            }
        }, settings.tick().toMillis(), settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts every check that is due now and returns them (to wait on in tests). Also prunes
     * old results once an hour.
     */
    public List<CompletableFuture<Void>> runDueChecks() {
        writeResults();
        Instant now = clock.instant();
        if (!now.isBefore(nextPrune)) {
            storage.healthCheckResults().deleteOlderThan(now.minus(settings.retention()));
            nextPrune = now.plus(Duration.ofHours(1));
        }
        if (!now.isBefore(nextPlan)) {
            Map<String, HealthCheck> checks = new java.util.HashMap<>();
            storage.healthChecks().listAll().forEach(check -> checks.put(check.applicationId(), check));
            plannedChecks = checks;
            // applications STOPPED on request are not checked (nor restarted)
            plannedRunning = storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING)).stream()
                    .filter(deployment -> !stopped(deployment.applicationId())).toList();
            java.util.Set<String> watched = new java.util.HashSet<>();
            plannedRunning.forEach(deployment -> watched.add(deployment.applicationId()));
            watches.keySet().retainAll(watched);
            nextPlan = now.plus(PLAN_REFRESH);
        }
        Map<String, HealthCheck> checks = plannedChecks;
        List<Deployment> running = plannedRunning;
        List<CompletableFuture<Void>> started = new java.util.ArrayList<>();
        for (Deployment deployment : running) {
            HealthCheck check = checks.get(deployment.applicationId());
            if (check == null || !check.enabled() || deployment.endpoint() == null) {
                continue;
            }
            Watch watch = watches.computeIfAbsent(deployment.applicationId(), id -> new Watch());
            if (!visible.test(deployment.applicationId())) {
                unseen(deployment, watch, now);
                continue;
            }
            synchronized (watch) {
                if (watch.nextCheck == null) {
                    Instant since = deployment.finishedAt() == null ? now : deployment.finishedAt();
                    watch.nextCheck = since.plus(check.startPeriod());
                }
                if (watch.inFlight || now.isBefore(watch.nextCheck) || now.isBefore(watch.quietUntil)) {
                    continue;
                }
                if (!permits.tryAcquire()) {
                    break; // the rest waits for the next round: concurrency stays bounded
                }
                watch.inFlight = true;
                watch.nextCheck = now.plus(check.interval());
            }
            started.add(probe(deployment, check, watch));
        }
        return started;
    }

    private CompletableFuture<Void> probe(Deployment deployment, HealthCheck check, Watch watch) {
        Endpoint endpoint = probeEndpoints.apply(deployment.applicationId(), Endpoint.parse(deployment.endpoint()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + check.path()))
                .timeout(check.timeout()).GET().build();
        long start = System.nanoTime();
        return http.get().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    boolean healthy = failure == null && check.accepts(response.statusCode());
                    String error = failure != null ? failure.getClass().getSimpleName()
                            : healthy ? null : "HTTP " + response.statusCode();
                    if (!healthy && outOfMemory(deployment)) {
                        error = "the container was OOM-killed at its memory limit (" + error + ")";
                    }
                    try {
                        record(deployment, check, watch, healthy, millis, failure == null ? response.statusCode() : null, error);
                    } catch (RuntimeException e) {
                        LOG.warn("could not record the health of {}: {}", deployment.applicationId(), e.toString());
                    } finally {
                        synchronized (watch) {
                            watch.inFlight = false;
                        }
                        permits.release();
                    }
                    return null;
                });
    }

    /** Whether the deployment's container was killed for going past its memory limit (asked only after a failed probe). */
    private boolean outOfMemory(Deployment deployment) {
        if (runtime.isEmpty() || deployment.containerId() == null) {
            return false;
        }
        try {
            return runtime.get().inspectContainer(deployment.containerId()).map(ContainerInfo::oomKilled).orElse(false);
        } catch (RuntimeException e) {
            LOG.debug("could not inspect the container of {}: {}", deployment.applicationId(), e.toString());
            return false;
        }
    }

    private void record(Deployment deployment, HealthCheck check, Watch watch, boolean healthy, long millis, Integer statusCode,
                        String error) {
        Instant now = clock.instant();
        HealthCheckResult result = new HealthCheckResult(UUID.randomUUID().toString(), deployment.applicationId(),
                healthy ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY, millis, statusCode, error, now);
        unwritten.add(result);
        events.accept(new PloyerEvent.HealthChecked(result));
        HealthStatus before;
        HealthStatus after;
        boolean restart = false;
        synchronized (watch) {
            before = watch.status;
            if (healthy) {
                watch.successes++;
                watch.failures = 0;
                if (watch.successes >= check.healthyThreshold()) {
                    watch.status = HealthStatus.HEALTHY;
                }
            } else {
                watch.failures++;
                watch.successes = 0;
                if (watch.failures >= check.unhealthyThreshold()) {
                    watch.status = HealthStatus.UNHEALTHY;
                    restart = true;
                }
            }
            after = watch.status;
        }
        if (before != after) {
            events.accept(new PloyerEvent.HealthChanged(deployment.applicationId(), before, after,
                    healthy ? "health check passed" : error, now));
        }
        if (restart) {
            // Docker and storage calls block: not on the thread that completed the probe.
            try {
                scheduler.execute(() -> restartOrGiveUp(deployment, watch, now));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                LOG.debug("monitor closing: no restart of {}", deployment.applicationId());
            }
        }
    }

    private boolean stopped(String applicationId) {
        return storage.applications().findById(applicationId).map(app -> app.status() == ApplicationStatus.STOPPED).orElse(false);
    }

    private void restartOrGiveUp(Deployment deployment, Watch watch, Instant now) {
        if (runtime.isEmpty() || deployment.containerId() == null || stopped(deployment.applicationId()) || !visible.test(deployment.applicationId())) {
            return;
        }
        synchronized (watch) {
            while (!watch.restarts.isEmpty() && watch.restarts.peekFirst().isBefore(now.minus(settings.restartWindow()))) {
                watch.restarts.pollFirst();
            }
            if (watch.restarts.size() >= settings.maxRestarts()) {
                markCrashLooping(deployment.applicationId(), watch.restarts.size(), now);
                watch.quietUntil = now.plus(settings.restartWindow());
                return;
            }
            watch.restarts.addLast(now);
            watch.failures = 0;
            // Exponential backoff: the next checks (and so the next restart) wait 1, 2, 4 … times the base.
            watch.quietUntil = now.plus(settings.restartBackoff().multipliedBy(1L << Math.min(10, watch.restarts.size() - 1)));
        }
        LOG.info("restarting the container of application {} after failed health checks", deployment.applicationId());
        try {
            runtime.get().restartContainer(deployment.containerId(), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("restart of {} failed: {}", deployment.applicationId(), e.toString());
        }
    }

    private void markCrashLooping(String applicationId, int restarts, Instant now) {
        Optional<Application> application = storage.applications().findById(applicationId);
        if (application.isPresent() && application.get().status() != ApplicationStatus.CRASH_LOOPING) {
            storage.inTransaction(tx -> {
                tx.applications().update(application.get().withStatus(ApplicationStatus.CRASH_LOOPING, now));
                return null;
            });
            LOG.warn("application {} keeps failing its health check: marked crash-looping, no more restarts", applicationId);
            events.accept(new PloyerEvent.CrashLoopDetected(applicationId, restarts, now));
        }
    }

    /** The monitor's view of an application's health. */
    public HealthStatus status(String applicationId) {
        Watch watch = watches.get(applicationId);
        return watch == null ? HealthStatus.UNKNOWN : watch.status;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeResults();
    }
}
