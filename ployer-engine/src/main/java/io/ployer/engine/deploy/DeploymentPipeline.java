package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.application.Domain;
import io.ployer.api.application.Volume;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.engine.EngineConfig.DeploySettings;
import io.ployer.engine.application.ApplicationVolumes;
import io.ployer.engine.application.DefaultApplicationService;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.spi.proxy.TlsMode;
import io.ployer.spi.runtime.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.Endpoint;
import io.ployer.spi.storage.Storage;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment state machine: {@code QUEUED → CLONING → BUILDING → STARTING → HEALTH_CHECKING →
 * SWITCHING → RUNNING}, with every transition persisted before its work begins. One active
 * deployment per application (a newer request supersedes queued ones), a global build limit, a
 * timeout per step, cancel in every step, zero-downtime switches and rollback without rebuilding.
 */
public final class DeploymentPipeline implements DeploymentService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentPipeline.class);
    private static final Set<DeploymentStatus> ACTIVE = Set.copyOf(EnumSet.of(DeploymentStatus.QUEUED, DeploymentStatus.CLONING,
            DeploymentStatus.BUILDING, DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING));
    private static final Set<DeploymentStatus> IN_FLIGHT = Set.copyOf(EnumSet.of(DeploymentStatus.CLONING,
            DeploymentStatus.BUILDING, DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING));

    private final Storage storage;
    private final DefaultApplicationService applications;
    private final Optional<ContainerRuntime> runtime;
    private final Optional<ReverseProxy> proxy;
    private final Map<String, BuildStrategy> strategies;
    private final SourceCheckout source;
    private final DeploySettings settings;
    private final Clock clock;
    private final Consumer<PloyerEvent> events;
    private final UnaryOperator<String> redactor;
    private final HealthGate healthGate;
    private final String instanceId;
    private final ExecutorService runners;
    private final ScheduledExecutorService timers;
    private final Semaphore buildPermits;
    private final Map<String, Run> activeRuns = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Deployment>> completions = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> drains = new ConcurrentHashMap<>();
    private final Map<String, Object> laneLocks = new ConcurrentHashMap<>();
    /** Held while an application's route changes together with the deployment that serves it (see {@link Reconciler}). */
    private final Map<String, Object> routeLocks = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private volatile ImagePublisher imagePublisher = ImagePublisher.NONE;
    private volatile java.util.function.BiFunction<Application, Deployment, List<io.ployer.spi.runtime.Mount>> extraMounts =
            (application, deployment) -> List.of();

    public DeploymentPipeline(Storage storage, DefaultApplicationService applications, Optional<ContainerRuntime> runtime,
                              Optional<ReverseProxy> proxy, Map<String, BuildStrategy> strategies, SourceCheckout source,
                              DeploySettings settings, Clock clock, Consumer<PloyerEvent> events,
                              UnaryOperator<String> redactor, ThreadFactory threadFactory, Supplier<HttpClient> httpClient,
                              Duration noHealthCheckWait, String instanceId) {
        this.storage = storage;
        this.applications = applications;
        this.runtime = runtime;
        this.proxy = proxy;
        this.strategies = Map.copyOf(strategies);
        this.source = source;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.redactor = redactor;
        this.healthGate = new HealthGate(httpClient, clock, noHealthCheckWait);
        this.instanceId = instanceId;
        this.runners = Executors.newCachedThreadPool(threadFactory);
        this.timers = Executors.newSingleThreadScheduledExecutor(threadFactory);
        this.buildPermits = new Semaphore(settings.maxConcurrentBuilds(), true);
    }

    /** Where built images go before they start (a registry push); nothing by default. */
    public void setImagePublisher(ImagePublisher publisher) {
        this.imagePublisher = java.util.Objects.requireNonNull(publisher, "publisher");
    }

    /** Mounts added to every container the pipeline starts (the application's configuration files). */
    public void setExtraMounts(java.util.function.BiFunction<Application, Deployment, List<io.ployer.spi.runtime.Mount>> mounts) {
        this.extraMounts = java.util.Objects.requireNonNull(mounts, "mounts");
    }

    // ------------------------------------------------------------------ requests

    @Override
    public Deployment deploy(DeploymentRequest request) {
        if (request == null) {
            throw PloyerException.invalid("body", "is required");
        }
        if (request.commitSha() != null) {
            GitUrlRules.validateCommitSha(request.commitSha());
        }
        Application application = applications.get(request.applicationId());
        ServerPlacement.requireLocal(storage, application);
        requireRuntime();
        Instant now = clock.instant();
        Deployment deployment = new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.QUEUED,
                request.trigger(), application.branch(), request.commitSha(), null, null, null, null, null, null,
                now, null, null, now);
        return enqueue(deployment);
    }

    @Override
    public Deployment rollback(String deploymentId) {
        Deployment target = get(deploymentId);
        if (target.imageRef() == null || !(target.status() == DeploymentStatus.RUNNING
                || target.status() == DeploymentStatus.SUPERSEDED)) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "only a deployment that reached RUNNING can be "
                    + "rolled back to; " + deploymentId + " is " + target.status());
        }
        ContainerRuntime containerRuntime = requireRuntime();
        if (!containerRuntime.imageExists(target.imageRef())) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the image of deployment " + deploymentId
                    + " was pruned (Ployer keeps the last " + settings.keepImages() + " images per application)");
        }
        Application application = applications.get(target.applicationId());
        ServerPlacement.requireLocal(storage, application);
        Instant now = clock.instant();
        Deployment deployment = new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.QUEUED,
                DeploymentTrigger.ROLLBACK, target.branch(), target.commitSha(), target.commitMessage(),
                target.imageRef(), null, null, target.id(), null, now, null, null, now, target.imageDigest());
        return enqueue(deployment);
    }

    private Deployment enqueue(Deployment deployment) {
        if (closing) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "Ployer is shutting down; no new deployment starts");
        }
        synchronized (lane(deployment.applicationId())) {
            if (deployment.trigger() == DeploymentTrigger.WEBHOOK) {
                // Coalesce pushes: while one deployment runs, at most one more waits (it deploys the branch head).
                Optional<Deployment> waiting = storage.deployments().findByApplicationAndStatus(deployment.applicationId(),
                        EnumSet.of(DeploymentStatus.QUEUED)).stream().filter(queued -> queued.trigger() == DeploymentTrigger.WEBHOOK)
                        .filter(queued -> !activeRuns.containsKey(queued.id())).reduce((first, second) -> second);
                if (waiting.isPresent()) {
                    return waiting.get();
                }
            }
            List<Deployment> superseded = new ArrayList<>();
            storage.inTransaction(tx -> {
                for (Deployment queued : tx.deployments().findByApplicationAndStatus(deployment.applicationId(),
                        EnumSet.of(DeploymentStatus.QUEUED))) {
                    Deployment replaced = queued.withStatus(DeploymentStatus.SUPERSEDED, clock.instant())
                            .withFailureReason("superseded by a newer deployment request (" + deployment.id() + ")")
                            .withFinishedAt(clock.instant());
                    tx.deployments().update(replaced);
                    superseded.add(replaced);
                }
                tx.deployments().insert(deployment);
                return null;
            });
            completions.put(deployment.id(), new CompletableFuture<>());
            for (Deployment replaced : superseded) {
                publishStatus(replaced, DeploymentStatus.QUEUED, replaced.failureReason());
                complete(replaced);
            }
            publishStatus(deployment, null, null);
            startNext(deployment.applicationId());
        }
        return deployment;
    }

    @Override
    public Deployment cancel(String deploymentId) {
        Deployment deployment = get(deploymentId);
        synchronized (lane(deployment.applicationId())) {
            Run run = activeRuns.get(deploymentId);
            if (run != null) {
                run.token.cancel(CancellationToken.Cause.USER, "cancelled by request");
                return get(deploymentId);
            }
            Deployment current = get(deploymentId);
            if (current.status() == DeploymentStatus.QUEUED) {
                Deployment cancelled = current.withStatus(DeploymentStatus.CANCELLED, clock.instant())
                        .withFailureReason("cancelled by request").withFinishedAt(clock.instant());
                storage.inTransaction(tx -> {
                    tx.deployments().update(cancelled);
                    return null;
                });
                publishStatus(cancelled, DeploymentStatus.QUEUED, cancelled.failureReason());
                complete(cancelled);
                return cancelled;
            }
            throw new PloyerException(StandardErrorCode.INVALID_STATE,
                    "deployment " + deploymentId + " is " + current.status() + " and cannot be cancelled");
        }
    }

    @Override
    public Optional<Deployment> find(String deploymentId) {
        if (deploymentId == null || deploymentId.length() > 64) {
            return Optional.empty();
        }
        return storage.deployments().findById(deploymentId);
    }

    @Override
    public Deployment get(String deploymentId) {
        return find(deploymentId).orElseThrow(() -> PloyerException.notFound("deployment", String.valueOf(deploymentId)));
    }

    @Override
    public List<Deployment> list(DeploymentQuery query) {
        return storage.deployments().list(query == null ? DeploymentQuery.all() : query);
    }

    @Override
    public long count(DeploymentQuery query) {
        return storage.deployments().count(query == null ? DeploymentQuery.all() : query);
    }

    @Override
    public List<DeploymentLogLine> logs(String deploymentId) {
        get(deploymentId);
        return storage.deployments().logs(deploymentId);
    }

    @Override
    public Deployment awaitCompletion(String deploymentId, Duration timeout) throws InterruptedException {
        Deployment current = get(deploymentId);
        CompletableFuture<Deployment> completion = completions.get(deploymentId);
        if (completion == null || !current.status().isActive()) {
            return current;
        }
        try {
            return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return get(deploymentId);
        } catch (ExecutionException e) {
            return get(deploymentId);
        }
    }

    // ------------------------------------------------------------------ scheduling

    private Object lane(String applicationId) {
        return laneLocks.computeIfAbsent(applicationId, id -> new Object());
    }

    private void startNext(String applicationId) {
        synchronized (lane(applicationId)) {
            boolean busy = activeRuns.values().stream().anyMatch(run -> run.deployment.applicationId().equals(applicationId));
            if (busy || closing) {
                return;
            }
            List<Deployment> queued = storage.deployments().findByApplicationAndStatus(applicationId,
                    EnumSet.of(DeploymentStatus.QUEUED));
            if (queued.isEmpty()) {
                return;
            }
            Deployment next = queued.get(queued.size() - 1);
            Run run = new Run(next);
            activeRuns.put(next.id(), run);
            runners.execute(() -> {
                try {
                    execute(run);
                } finally {
                    activeRuns.remove(next.id());
                    complete(run.deployment);
                    startNext(applicationId);
                }
            });
        }
    }

    private void complete(Deployment deployment) {
        CompletableFuture<Deployment> completion = completions.remove(deployment.id());
        if (completion != null) {
            completion.complete(deployment);
        }
    }

    // ------------------------------------------------------------------ the run

    /** One deployment being worked on. */
    private final class Run {
        private final CancellationToken token = new CancellationToken();
        private volatile Deployment deployment;
        private DeploymentLog log;
        private String createdContainer;
        private String builtImage;
        private final List<String> stoppedForExclusive = new ArrayList<>();

        Run(Deployment deployment) {
            this.deployment = deployment;
        }
    }

    private void execute(Run run) {
        Deployment deployment = run.deployment;
        long nextSequence = storage.deployments().logs(deployment.id()).size();
        run.log = new DeploymentLog(deployment.id(), deployment.applicationId(), storage, clock, redactor, events,
                settings.logLimitBytes(), nextSequence);
        try {
            Application application = applications.get(deployment.applicationId());
            ContainerRuntime containerRuntime = requireRuntime();
            applications.registerSecrets(application.id());
            applications.setStatus(application.id(), ApplicationStatus.DEPLOYING);
            persist(run, run.deployment.withStartedAt(clock.instant()));
            String image = deployment.rollbackOf() != null ? reuseImage(run) : build(run, application, containerRuntime);
            move(run, DeploymentStatus.STARTING);
            Endpoint endpoint = start(run, application, containerRuntime, image);
            move(run, DeploymentStatus.HEALTH_CHECKING);
            withTimeout(run, settings.healthTimeout(), "health check", () -> {
                healthGate.await(containerRuntime, run.createdContainer, endpoint,
                        storage.healthChecks().find(application.id()), application.port(), settings.healthTimeout(),
                        run.log, run.token);
                return null;
            });
            move(run, DeploymentStatus.SWITCHING);
            synchronized (routeLock(application.id())) {
                switchTraffic(run, application, endpoint);
                finishRunning(run, application);
            }
        } catch (Exception | LinkageError e) {
            fail(run, e);
        }
    }

    private String reuseImage(Run run) {
        run.log.system("Rollback to deployment " + run.deployment.rollbackOf() + ": reusing image "
                + run.deployment.imageRef() + " without building");
        return run.deployment.imageRef();
    }

    private String build(Run run, Application application, ContainerRuntime containerRuntime) throws Exception {
        BuildStrategy strategy = strategies.get(application.buildStrategy());
        if (strategy == null) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the build strategy '" + application.buildStrategy()
                    + "' is not available; available: " + strategies.keySet());
        }
        java.nio.file.Path sourceDirectory = null;
        if (strategy.needsSource()) {
            move(run, DeploymentStatus.CLONING);
            SourceCheckout.CheckedOut checkedOut = withTimeout(run, settings.cloneTimeout(), "clone",
                    () -> source.checkout(application, run.deployment.commitSha(), run.log.stream("git"), run.token));
            persist(run, run.deployment.withCommit(checkedOut.commitSha(), checkedOut.commitMessage()));
            sourceDirectory = checkedOut.directory();
        }
        move(run, DeploymentStatus.BUILDING);
        acquireBuildPermit(run);
        try {
            String tag = imageTag(application, run.deployment);
            // Images carry the application's labels but not the deployment's: a per-deployment label would
            // be a new LABEL layer each time and defeat the build cache. The tag names the deployment.
            Map<String, String> labels = new HashMap<>(labels(application, run.deployment));
            labels.remove(ContainerRuntime.LABEL_DEPLOYMENT);
            BuildRequest request = new BuildRequest(application.id(), run.deployment.id(), sourceDirectory,
                    application.buildConfig(), applications.plainEnvironment(application.id(), true), tag, labels);
            run.log.system("Building with the '" + application.buildStrategy() + "' strategy as " + tag);
            BuildOutcome outcome = withTimeout(run, settings.buildTimeout(), "build",
                    () -> strategy.build(request, containerRuntime, run.log.stream("build"), run.token));
            if (outcome instanceof BuildOutcome.Failed failed) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "the build failed: " + failed.reason());
            }
            String image = ((BuildOutcome.Built) outcome).imageRef();
            run.builtImage = image;
            persist(run, run.deployment.withImage(image).withImageDigest(((BuildOutcome.Built) outcome).sourceDigest()));
            UnchangedImage.check(storage, application, run.deployment);
            imagePublisher.publish(application, run.deployment, image, containerRuntime, run.log.stream("build"), run.token);
            return image;
        } finally {
            buildPermits.release();
        }
    }

    private void acquireBuildPermit(Run run) throws InterruptedException {
        boolean announced = false;
        while (!buildPermits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
            if (run.token.isCancelled()) {
                throw cancelledBy(run);
            }
            if (!announced) {
                run.log.system("Waiting for a build slot (at most " + settings.maxConcurrentBuilds() + " builds run at once)");
                announced = true;
            }
        }
        if (run.token.isCancelled()) {
            buildPermits.release();
            throw cancelledBy(run);
        }
    }

    private Endpoint start(Run run, Application application, ContainerRuntime containerRuntime, String image)
            throws Exception {
        return withTimeout(run, settings.startTimeout(), "start", () -> {
            List<Volume> volumes = ApplicationVolumes.of(storage, application.id());
            ApplicationVolumes.ensureCreated(containerRuntime, application, volumes, instanceId);
            if (volumes.stream().anyMatch(Volume::exclusive)) {
                stopForExclusiveVolume(run, application, containerRuntime);
            }
            ContainerSpec spec = new ContainerSpec(containerName(application, run.deployment), image,
                    applications.plainEnvironment(application.id(), false), application.port(),
                    labels(application, run.deployment), application.limits(), application.restartPolicy(), List.of(), null,
                    java.util.stream.Stream.concat(ApplicationVolumes.mounts(volumes).stream(),
                            extraMounts.apply(application, run.deployment).stream()).toList());
            String containerId = containerRuntime.createContainer(spec);
            run.createdContainer = containerId;
            persist(run, run.deployment.withContainer(containerId, null));
            containerRuntime.startContainer(containerId);
            Endpoint endpoint = awaitEndpoint(run, containerRuntime, containerId, application.port());
            persist(run, run.deployment.withContainer(containerId, endpoint.address()));
            run.log.system("Started container " + shortId(containerId) + " answering on " + endpoint.address());
            return endpoint;
        });
    }

    /**
     * An exclusive volume may be used by one container at a time: the serving containers stop before
     * the new one starts (the one switch with a gap). A failed run starts them again in {@link #cleanUp}.
     */
    private void stopForExclusiveVolume(Run run, Application application, ContainerRuntime containerRuntime) {
        for (Deployment old : storage.deployments().findByApplicationAndStatus(application.id(), EnumSet.of(DeploymentStatus.RUNNING))) {
            if (old.containerId() == null) {
                continue;
            }
            run.log.system("An exclusive volume is mounted: stopping container " + shortId(old.containerId())
                    + " before the new one starts (the app is unavailable until the new container is healthy)");
            containerRuntime.stopContainer(old.containerId(), settings.stopTimeout());
            run.stoppedForExclusive.add(old.containerId());
        }
    }

    /** The failure message for a container that exited: OOM kills are named as such. */
    static String exitedMessage(ContainerInfo info, String when) {
        if (info.oomKilled()) {
            return "the container was killed because it ran out of memory (OOM-killed at its memory limit) " + when;
        }
        return "the container exited" + (info.exitCode() == null ? "" : " with code " + info.exitCode()) + " " + when;
    }

    /** Waits until the started container publishes its port, failing as soon as it has exited. */
    private Endpoint awaitEndpoint(Run run, ContainerRuntime containerRuntime, String containerId, int port)
            throws InterruptedException {
        while (true) {
            ContainerInfo info = containerRuntime.inspectContainer(containerId).orElseThrow(() ->
                    new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the container vanished right after it started"));
            if (info.crashed()) {
                containerRuntime.logs(containerId, 20).forEach(line -> run.log.write("container", line));
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                        exitedMessage(info, "right after it started (its last output is in the log)"));
            }
            if (info.publishedEndpoint().isPresent()) {
                return info.publishedEndpoint().get();
            }
            // Docker fills in the published port a moment after start; the start timeout bounds this wait.
            if (run.token.await(Duration.ofMillis(20))) {
                throw cancelledBy(run);
            }
            LOG.debug("waiting for the published port {} of container {}", port, shortId(containerId));
        }
    }

    private void switchTraffic(Run run, Application application, Endpoint endpoint) {
        if (proxy.isEmpty()) {
            run.log.system("No reverse proxy configured: the app is reachable at " + endpoint.address());
            return;
        }
        Optional<Route> route = routeFor(application.id(), endpoint);
        if (route.isEmpty()) {
            run.log.system("The app has no domain: no route to switch; it is reachable at " + endpoint.address());
            return;
        }
        proxy.get().apply(route.get());
        run.log.system("Switched " + String.join(", ", route.get().hosts()) + " to " + endpoint.address());
    }

    Optional<Route> routeFor(String applicationId, Endpoint endpoint) {
        List<String> hosts = storage.domains().listByApplication(applicationId).stream().map(Domain::hostname).toList();
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Route(applicationId, hosts, List.of(endpoint), TlsMode.AUTO));
    }

    private void finishRunning(Run run, Application application) {
        List<Deployment> previous = storage.deployments().findByApplicationAndStatus(application.id(),
                EnumSet.of(DeploymentStatus.RUNNING));
        Instant now = clock.instant();
        Deployment running = run.deployment.withStatus(DeploymentStatus.RUNNING, now).withFinishedAt(now);
        List<Deployment> replaced = new ArrayList<>();
        storage.inTransaction(tx -> {
            tx.deployments().update(running);
            for (Deployment old : previous) {
                Deployment superseded = old.withStatus(DeploymentStatus.SUPERSEDED, now);
                tx.deployments().update(superseded);
                replaced.add(superseded);
            }
            return null;
        });
        Deployment before = run.deployment;
        run.deployment = running;
        publishStatus(running, before.status(), null);
        applications.setStatus(application.id(), ApplicationStatus.RUNNING);
        run.log.system("Deployment is RUNNING");
        run.log.flush();
        for (Deployment old : replaced) {
            publishStatus(old, DeploymentStatus.RUNNING, "superseded by " + running.id());
            if (old.containerId() != null) {
                scheduleDrain(old);
            }
        }
        pruneImages(application);
    }

    private void scheduleDrain(Deployment old) {
        drains.put(old.id(), timers.schedule(() -> {
            drains.remove(old.id());
            retireContainer(old.containerId());
        }, settings.drainPeriod().toMillis(), TimeUnit.MILLISECONDS));
    }

    private void retireContainer(String containerId) {
        runtime.ifPresent(containerRuntime -> {
            try {
                containerRuntime.stopContainer(containerId, settings.stopTimeout());
                containerRuntime.removeContainer(containerId, true);
            } catch (RuntimeException e) {
                LOG.warn("could not remove old container {}: {}", shortId(containerId), redactor.apply(String.valueOf(e.getMessage())));
            }
        });
    }

    private void pruneImages(Application application) {
        ContainerRuntime containerRuntime = runtime.orElse(null);
        if (containerRuntime == null) {
            return;
        }
        List<Deployment> history = storage.deployments().list(new DeploymentQuery(application.id(), null, 0, 500));
        Set<String> kept = new LinkedHashSet<>();
        Set<String> candidates = new LinkedHashSet<>();
        for (Deployment deployment : history) {
            if (deployment.imageRef() == null) {
                continue;
            }
            boolean successful = deployment.status() == DeploymentStatus.RUNNING || deployment.status() == DeploymentStatus.SUPERSEDED;
            if (deployment.status().isActive() || (successful && kept.size() < settings.keepImages())) {
                kept.add(deployment.imageRef());
            } else if (successful) {
                candidates.add(deployment.imageRef());
            }
        }
        candidates.removeAll(kept);
        for (String image : candidates) {
            try {
                containerRuntime.removeImage(image);
            } catch (RuntimeException e) {
                LOG.debug("image {} not pruned: {}", image, e.getMessage());
            }
        }
    }

    private void fail(Run run, Throwable error) {
        CancellationToken.Reason reason = run.token.reason();
        DeploymentStatus target;
        String message;
        if (reason != null && reason.cause() == CancellationToken.Cause.USER) {
            target = DeploymentStatus.CANCELLED;
            message = "cancelled by request during " + run.deployment.status();
        } else if (reason != null) {
            target = DeploymentStatus.FAILED;
            message = reason.message();
        } else if (error instanceof UnchangedImage) {
            target = DeploymentStatus.CANCELLED;
            message = error.getMessage();
        } else {
            target = DeploymentStatus.FAILED;
            message = FailureReasons.describe(error, run.deployment.status(),
                    FailureReasons.mayBeRuntimeLoss(error) ? runtimeLoss(run, error) : FailureReasons.RuntimeLoss.NONE);
        }
        message = redactor.apply(message);
        if (!(error instanceof PloyerException)) {
            LOG.error("deployment {} failed unexpectedly", run.deployment.id(), error);
        } else if (reason == null) {
            // The reason stored for people is a sentence; what the failing component said is kept here.
            LOG.warn("deployment {} failed during {}: {}", run.deployment.id(), run.deployment.status(),
                    redactor.apply(String.valueOf(error.getMessage())));
        }
        run.log.system((target == DeploymentStatus.CANCELLED ? "Cancelled: " : "Failed: ") + message);
        cleanUp(run);
        try {
            run.log.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not store the last log lines of deployment {}", run.deployment.id());
        }
        Deployment before = run.deployment;
        Deployment ended = before.withStatus(target, clock.instant()).withFailureReason(message).withFinishedAt(clock.instant());
        try {
            storage.inTransaction(tx -> {
                tx.deployments().update(ended);
                return null;
            });
            run.deployment = ended;
            publishStatus(ended, before.status(), message);
            boolean serving = !storage.deployments().findByApplicationAndStatus(before.applicationId(),
                    EnumSet.of(DeploymentStatus.RUNNING)).isEmpty();
            applications.setStatus(before.applicationId(), serving ? ApplicationStatus.RUNNING
                    : target == DeploymentStatus.CANCELLED ? ApplicationStatus.CREATED : ApplicationStatus.FAILED);
        } catch (RuntimeException e) {
            LOG.error("could not record the end of deployment {}", before.id(), e);
        }
    }

    /** Whether the container engine went away or restarted while this run worked (checked once it failed). */
    private FailureReasons.RuntimeLoss runtimeLoss(Run run, Throwable error) {
        try {
            return runtime.map(containerRuntime -> FailureReasons.probeRuntime(containerRuntime, run.deployment.startedAt(),
                    storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING)).stream()
                            .map(Deployment::containerId).filter(java.util.Objects::nonNull).toList(), FailureReasons.watchAfter(error),
                    run.token))
                    .orElse(FailureReasons.RuntimeLoss.NONE);
        } catch (RuntimeException e) {
            LOG.debug("could not ask the container engine about deployment {}: {}", run.deployment.id(), e.getMessage());
            return FailureReasons.RuntimeLoss.NONE;
        }
    }

    /** Removes what a failed or cancelled run created, so the previous version keeps serving alone. */
    private void cleanUp(Run run) {
        ContainerRuntime containerRuntime = runtime.orElse(null);
        if (containerRuntime == null) {
            return;
        }
        if (run.createdContainer != null) {
            try {
                containerRuntime.removeContainer(run.createdContainer, true);
                run.log.system("Removed container " + shortId(run.createdContainer));
            } catch (RuntimeException e) {
                LOG.warn("could not remove container {}: {}", shortId(run.createdContainer), e.getMessage());
            }
        }
        for (String stopped : run.stoppedForExclusive) {
            try {
                containerRuntime.startContainer(stopped);
                run.log.system("Started the previous container " + shortId(stopped) + " again");
            } catch (RuntimeException e) {
                LOG.warn("could not start the previous container {} again: {}", shortId(stopped), e.getMessage());
            }
        }
        if (run.builtImage != null && run.deployment.rollbackOf() == null) {
            try {
                containerRuntime.removeImage(run.builtImage);
            } catch (RuntimeException e) {
                LOG.debug("could not remove image {}: {}", run.builtImage, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ steps and transitions

    /** A step's work. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T withTimeout(Run run, Duration timeout, String step, Step<T> work) throws Exception {
        ScheduledFuture<?> timer = timers.schedule(() -> run.token.cancel(CancellationToken.Cause.TIMEOUT,
                "timed out: the " + step + " step took longer than " + timeout.toSeconds() + "s"),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            T result = work.run();
            if (run.token.isCancelled()) {
                throw cancelledBy(run);
            }
            return result;
        } finally {
            timer.cancel(false);
        }
    }

    private void move(Run run, DeploymentStatus next) {
        if (run.token.isCancelled()) {
            throw cancelledBy(run);
        }
        Deployment before = run.deployment;
        if (!before.status().canMoveTo(next)) {
            throw new PloyerException(StandardErrorCode.INTERNAL_ERROR,
                    "illegal transition " + before.status() + " -> " + next);
        }
        run.log.flush();
        persist(run, before.withStatus(next, clock.instant()));
        publishStatus(run.deployment, before.status(), null);
        run.log.system("Status: " + next);
    }

    private void persist(Run run, Deployment updated) {
        storage.inTransaction(tx -> {
            tx.deployments().update(updated);
            return null;
        });
        run.deployment = updated;
    }

    private PloyerException cancelledBy(Run run) {
        CancellationToken.Reason reason = run.token.reason();
        return new PloyerException(StandardErrorCode.CANCELLED, reason == null ? "cancelled" : reason.message());
    }

    private void publishStatus(Deployment deployment, DeploymentStatus from, String reason) {
        events.accept(new PloyerEvent.DeploymentStatusChanged(deployment.id(), deployment.applicationId(), from,
                deployment.status(), reason, clock.instant()));
    }

    private ContainerRuntime requireRuntime() {
        return runtime.orElseThrow(() -> new PloyerException(StandardErrorCode.CONFIGURATION,
                "no container runtime is configured (add ployer-plugin-docker and set runtime=docker)"));
    }

    static String imageTag(Application application, Deployment deployment) {
        return "ployer/" + application.name() + ":" + deployment.id().replace("-", "").substring(0, 12);
    }

    static String containerName(Application application, Deployment deployment) {
        return "ployer-" + application.name() + "-" + deployment.id().replace("-", "").substring(0, 12);
    }

    private Map<String, String> labels(Application application, Deployment deployment) {
        Map<String, String> labels = new HashMap<>();
        labels.put(ContainerRuntime.LABEL_MANAGED, "true");
        labels.put(ContainerRuntime.LABEL_INSTANCE, instanceId);
        labels.put(ContainerRuntime.LABEL_APP, application.id());
        labels.put(ContainerRuntime.LABEL_DEPLOYMENT, deployment.id());
        return labels;
    }

    private static String shortId(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Brings storage, containers and routes back in line after a start: deployments left
     * mid-flight end FAILED (interrupted), labelled containers no running deployment owns are
     * removed, stopped containers of running deployments are started, and every route is pushed
     * to the proxy again. Storage is the truth.
     */
    public void reconcile() {
        Instant now = clock.instant();
        for (Deployment stale : storage.deployments().findByStatus(ACTIVE)) {
            String reason = "interrupted: Ployer stopped while the deployment was " + stale.status();
            Deployment failed = stale.withStatus(DeploymentStatus.FAILED, now).withFailureReason(reason).withFinishedAt(now);
            storage.inTransaction(tx -> {
                tx.deployments().update(failed);
                return null;
            });
            publishStatus(failed, stale.status(), reason);
            LOG.info("deployment {} of application {} was {} when Ployer stopped; marked FAILED",
                    stale.id(), stale.applicationId(), stale.status());
        }
        List<Deployment> running = storage.deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING));
        List<Route> routes = new ArrayList<>();
        List<ContainerInfo> orphans = new ArrayList<>();
        runtime.ifPresent(containerRuntime -> {
            try {
                Set<String> owned = new java.util.HashSet<>();
                for (Deployment deployment : running) {
                    if (deployment.containerId() == null) {
                        continue;
                    }
                    owned.add(deployment.containerId());
                    Optional<ContainerInfo> info = containerRuntime.inspectContainer(deployment.containerId());
                    if (info.isEmpty()) {
                        LOG.warn("the container of running deployment {} is gone", deployment.id());
                        continue;
                    }
                    if (!info.get().running()) {
                        containerRuntime.startContainer(deployment.containerId());
                        info = containerRuntime.inspectContainer(deployment.containerId());
                    }
                    Optional<Endpoint> endpoint = info.flatMap(ContainerInfo::publishedEndpoint);
                    if (endpoint.isPresent() && !endpoint.get().address().equals(deployment.endpoint())) {
                        Deployment moved = deployment.withContainer(deployment.containerId(), endpoint.get().address());
                        storage.inTransaction(tx -> {
                            tx.deployments().update(moved);
                            return null;
                        });
                    }
                    endpoint.flatMap(found -> routeFor(deployment.applicationId(), found)).ifPresent(routes::add);
                }
                for (ContainerInfo container : containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_MANAGED, "true",
                        ContainerRuntime.LABEL_INSTANCE, instanceId), true)) {
                    if (!owned.contains(container.id())) {
                        orphans.add(container);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("could not reconcile containers: {}", e.getMessage());
            }
        });
        if (runtime.isEmpty()) {
            for (Deployment deployment : running) {
                if (deployment.endpoint() != null) {
                    routeFor(deployment.applicationId(), Endpoint.parse(deployment.endpoint())).ifPresent(routes::add);
                }
            }
        }
        proxy.ifPresent(reverseProxy -> {
            try {
                reverseProxy.replaceAll(routes);
            } catch (RuntimeException e) {
                LOG.warn("could not push routes to the proxy: {}", e.getMessage());
            }
        });
        // Only now that the proxy routes to what should serve is what should not serve removed: a container of a
        // deployment killed in SWITCHING may still be the proxy's upstream until the line above replaced it.
        runtime.ifPresent(containerRuntime -> {
            for (ContainerInfo container : orphans) {
                try {
                    LOG.info("removing orphan container {} ({})", shortId(container.id()), container.name());
                    containerRuntime.removeContainer(container.id(), true);
                } catch (RuntimeException e) {
                    LOG.warn("could not remove orphan container {}: {}", shortId(container.id()), e.getMessage());
                }
            }
        });
    }

    /** The lock under which an application's route and the deployment serving it change together. */
    Object routeLock(String applicationId) {
        return routeLocks.computeIfAbsent(applicationId, id -> new Object());
    }

    /** Whether this pipeline is working on the deployment now, or drains its container after a switch. */
    boolean holds(String deploymentId) {
        return activeRuns.containsKey(deploymentId) || drains.containsKey(deploymentId);
    }

    /** The statuses in which a deployment is queued or being worked on. */
    static Set<DeploymentStatus> activeStatuses() {
        return ACTIVE;
    }

    /** Pushes the route of an application's running deployment again (after its domains changed). */
    public void refreshRoute(String applicationId) {
        if (proxy.isEmpty()) {
            return;
        }
        synchronized (routeLock(applicationId)) {
            Optional<Deployment> running = storage.deployments().findByApplicationAndStatus(applicationId,
                    EnumSet.of(DeploymentStatus.RUNNING)).stream().reduce((first, second) -> second);
            Optional<Route> route = running.filter(deployment -> deployment.endpoint() != null)
                    .flatMap(deployment -> routeFor(applicationId, Endpoint.parse(deployment.endpoint())));
            if (route.isPresent()) {
                proxy.get().apply(route.get());
            } else {
                proxy.get().remove(applicationId);
            }
        }
    }

    /** Stops everything an application runs: its active deployment, containers, route and images. */
    public void removeApplication(Application application) {
        for (Run run : List.copyOf(activeRuns.values())) {
            if (run.deployment.applicationId().equals(application.id())) {
                run.token.cancel(CancellationToken.Cause.USER, "the application was deleted");
                CompletableFuture<Deployment> completion = completions.get(run.deployment.id());
                if (completion != null) {
                    try {
                        completion.get(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        LOG.warn("deployment {} did not stop in time", run.deployment.id());
                    }
                }
            }
        }
        proxy.ifPresent(reverseProxy -> reverseProxy.remove(application.id()));
        runtime.ifPresent(containerRuntime -> {
            for (ContainerInfo container : containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), true)) {
                containerRuntime.removeContainer(container.id(), true);
            }
            containerRuntime.listImages(Map.of(ContainerRuntime.LABEL_APP, application.id())).forEach(image -> {
                try {
                    containerRuntime.removeImage(image.id());
                } catch (RuntimeException e) {
                    LOG.debug("image {} not removed: {}", image.id(), e.getMessage());
                }
            });
        });
    }

    /** Whether a deployment of this application is queued or running now. */
    public boolean isBusy(String applicationId) {
        return !storage.deployments().findByApplicationAndStatus(applicationId, ACTIVE).isEmpty();
    }

    /** Statuses in which a deployment is doing work. */
    public static Set<DeploymentStatus> inFlightStatuses() {
        return IN_FLIGHT;
    }

    /**
     * Stops accepting deployments, cancels running ones (they end FAILED, interrupted), finishes
     * pending drains and stops the worker threads. Idempotent.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        for (Run run : List.copyOf(activeRuns.values())) {
            run.token.cancel(CancellationToken.Cause.SHUTDOWN, "interrupted: Ployer shut down during the deployment");
        }
        runners.shutdown();
        try {
            if (!runners.awaitTermination(60, TimeUnit.SECONDS)) {
                runners.shutdownNow();
            }
        } catch (InterruptedException e) {
            runners.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (Map.Entry<String, ScheduledFuture<?>> drain : Map.copyOf(drains).entrySet()) {
            if (drain.getValue().cancel(false)) {
                storage.deployments().findById(drain.getKey()).map(Deployment::containerId).ifPresent(this::retireContainer);
            }
        }
        timers.shutdownNow();
    }
}
