package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentService;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.event.PloyerEvent;
import io.ployer.engine.application.ApplicationInternals;
import io.ployer.engine.source.GitUrlRules;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.proxy.ReverseProxy;
import io.ployer.spi.proxy.Route;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.storage.Storage;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment service: requests in, a state machine {@code QUEUED → CLONING → BUILDING → STARTING →
 * HEALTH_CHECKING → SWITCHING → RUNNING} behind them. This class checks requests and wires the parts,
 * each with one job: {@link DeploymentQueue} (lanes, supersede, webhook coalescing), {@link BuildSlots}
 * (the global build limit), {@link DeploymentRun} (one deployment step by step), {@link RunEnding},
 * {@link DeploymentTransitions} (the allowed moves), {@link RouteTable}, {@link Drains},
 * {@link ImageRetention} and {@link StartupReconciliation}.
 */
public final class DeploymentPipeline implements DeploymentService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentPipeline.class);

    private final PipelineContext context;
    private final RouteTable routes;
    private final Drains drains;
    private final DeploymentQueue queue;
    private final PipelineHooks hooks = new PipelineHooks();
    /** Null when the timers were handed in (their owner shuts them down). */
    private final ScheduledExecutorService ownTimers;
    private volatile boolean closed;

    public DeploymentPipeline(Storage storage, ApplicationInternals applications, Optional<ContainerRuntime> runtime,
                              Optional<ReverseProxy> proxy, Map<String, BuildStrategy> strategies, SourceCheckout source,
                              DeploySettings settings, Clock clock, Consumer<PloyerEvent> events,
                              UnaryOperator<String> redactor, ThreadFactory threadFactory, Supplier<HttpClient> httpClient,
                              Duration noHealthCheckWait, String instanceId) {
        this(new PipelineContext(storage, applications, runtime, proxy, strategies, source, settings, clock, events, redactor,
                        instanceId, null), Executors.newSingleThreadScheduledExecutor(threadFactory),
                Executors.newCachedThreadPool(threadFactory), httpClient, noHealthCheckWait);
    }

    /** A pipeline whose delays come from {@code context.timers()} (a test's clock). */
    DeploymentPipeline(PipelineContext context, ExecutorService runners, Supplier<HttpClient> httpClient,
                       Duration noHealthCheckWait) {
        this(context, null, runners, httpClient, noHealthCheckWait);
    }

    private DeploymentPipeline(PipelineContext given, ScheduledExecutorService ownTimers, ExecutorService runners,
                               Supplier<HttpClient> httpClient, Duration noHealthCheckWait) {
        PipelineContext context = ownTimers == null ? given : new PipelineContext(given.storage(), given.applications(),
                given.runtime(), given.proxy(), given.strategies(), given.source(), given.settings(), given.clock(),
                given.events(), given.redactor(), given.instanceId(), DeploymentTimers.on(ownTimers));
        this.context = context;
        this.ownTimers = ownTimers;
        this.routes = new RouteTable(context.storage(), context.proxy(), context.runtime());
        this.drains = new Drains(context);
        HealthGate healthGate = new HealthGate(httpClient, context.clock(), noHealthCheckWait, context.timers());
        BuildSlots buildSlots = new BuildSlots(context.settings().maxConcurrentBuilds());
        RunEnding ending = new RunEnding(context, drains,
                new ImageRetention(context.storage(), context.runtime(), context.settings().keepImages()));
        this.queue = new DeploymentQueue(context, deployment -> new DeploymentRun(deployment, context, healthGate, routes,
                buildSlots, ending, hooks), runners);
    }

    /** Where built images go before they start (a registry push); nothing by default. */
    public void setImagePublisher(ImagePublisher publisher) {
        hooks.imagePublisher(publisher);
    }

    /** Who deploys applications that are stacks (Compose); none by default. */
    public void setStackDeployer(StackDeployer deployer) {
        hooks.stackDeployer(deployer);
    }

    /** Mounts added to every container the pipeline starts (the application's configuration files). */
    public void setExtraMounts(java.util.function.BiFunction<io.ployer.api.application.Application, Deployment,
            List<io.ployer.api.container.Mount>> mounts) {
        hooks.extraMounts(mounts);
    }

    /**
     * Deploys applications assigned to a remote server there, with the runtime this gives for them
     * (empty for an application of this machine), its health gate probing through {@code probeEndpoints}.
     * Without it such applications are refused.
     */
    public void setServerRuntimes(java.util.function.Function<Application, Optional<ContainerRuntime>> runtimes,
                                  java.util.function.BiFunction<Application, Endpoint, Endpoint> probeEndpoints) {
        hooks.serverRuntimes(runtimes);
        hooks.probeEndpoints(probeEndpoints);
    }

    /** The runtime an application's deployments run on: its remote server's, or this machine's. */
    private ContainerRuntime runtimeFor(Application application) {
        if (hooks.serverRuntimes() == null) {
            ServerPlacement.requireLocal(context.storage(), application);
            return context.requireRuntime();
        }
        return hooks.serverRuntimes().apply(application).orElseGet(context::requireRuntime);
    }

    @Override
    public Deployment deploy(DeploymentRequest request) {
        if (request == null) {
            throw PloyerException.invalid("body", "is required");
        }
        if (request.commitSha() != null) {
            GitUrlRules.validateCommitSha(request.commitSha());
        }
        Application application = context.applications().get(request.applicationId());
        context.requireRuntime();
        if (hooks.serverRuntimes() == null) {
            ServerPlacement.requireLocal(context.storage(), application);
        }
        Instant now = context.clock().instant();
        return queue.enqueue(new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.QUEUED,
                request.trigger(), application.branch(), request.commitSha(), null, null, null, null, null, null,
                now, null, null, now));
    }

    /** Deploys the image of an earlier RUNNING deployment again, without building. */
    @Override
    public Deployment rollback(String deploymentId) {
        Deployment target = get(deploymentId);
        if (target.imageRef() == null || !(target.status() == DeploymentStatus.RUNNING
                || target.status() == DeploymentStatus.SUPERSEDED)) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "only a deployment that reached RUNNING can be "
                    + "rolled back to; " + deploymentId + " is " + target.status());
        }
        Application application = context.applications().get(target.applicationId());
        if (!runtimeFor(application).imageExists(target.imageRef())) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the image of deployment " + deploymentId
                    + " was pruned (Ployer keeps the last " + context.settings().keepImages() + " images per application)");
        }
        Instant now = context.clock().instant();
        return queue.enqueue(new Deployment(UUID.randomUUID().toString(), application.id(), DeploymentStatus.QUEUED,
                DeploymentTrigger.ROLLBACK, target.branch(), target.commitSha(), target.commitMessage(),
                target.imageRef(), null, null, target.id(), null, now, null, null, now, target.imageDigest()));
    }

    @Override
    public Deployment cancel(String deploymentId) {
        return queue.cancel(get(deploymentId));
    }

    @Override
    public Optional<Deployment> find(String deploymentId) {
        if (deploymentId == null || deploymentId.length() > 64) {
            return Optional.empty();
        }
        return context.storage().deployments().findById(deploymentId);
    }

    @Override
    public Deployment get(String deploymentId) {
        return find(deploymentId).orElseThrow(() -> PloyerException.notFound("deployment", String.valueOf(deploymentId)));
    }

    @Override
    public List<Deployment> list(DeploymentQuery query) {
        return context.storage().deployments().list(query == null ? DeploymentQuery.all() : query);
    }

    @Override
    public long count(DeploymentQuery query) {
        return context.storage().deployments().count(query == null ? DeploymentQuery.all() : query);
    }

    @Override
    public List<DeploymentLogLine> logs(String deploymentId) {
        get(deploymentId);
        return context.storage().deployments().logs(deploymentId);
    }

    @Override
    public List<io.ployer.api.deployment.ServiceContainer> services(String applicationId) {
        return new ServiceContainers(context).list(applicationId);
    }

    @Override
    public List<String> serviceLogs(String applicationId, String service, int tail) {
        return new ServiceContainers(context).logs(applicationId, service, tail);
    }

    @Override
    public io.ployer.api.container.ResourceSample serviceStats(String applicationId, String service) {
        return new ServiceContainers(context).stats(applicationId, service);
    }

    @Override
    public Deployment awaitCompletion(String deploymentId, Duration timeout) throws InterruptedException {
        return queue.awaitCompletion(get(deploymentId), timeout);
    }

    /** See {@link StartupReconciliation}. */
    public void reconcile() {
        new StartupReconciliation(context, routes).run();
    }

    /** Tells {@code listener} when the proxy refuses or does not answer a route change. */
    public void onProxyTrouble(Runnable listener) {
        routes.onProxyTrouble(listener);
    }

    /** The lock under which an application's route and the deployment serving it change together. */
    Object routeLock(String applicationId) {
        return routes.routeLock(applicationId);
    }

    /** The routes of a running deployment whose container answers at {@code endpoint} (a stack's: one per routed service). */
    List<Route> routesOf(Deployment deployment, Endpoint endpoint) {
        return routes.routesOf(deployment, endpoint);
    }

    void recordEndpoint(Deployment deployment, Endpoint endpoint) {
        routes.recordEndpoint(deployment, endpoint);
    }

    /** Whether this pipeline is working on the deployment now, or drains its container after a switch. */
    boolean holds(String deploymentId) {
        return queue.holds(deploymentId) || drains.holds(deploymentId);
    }

    /** The statuses in which a deployment is queued or being worked on. */
    static Set<DeploymentStatus> activeStatuses() {
        return DeploymentTransitions.ACTIVE;
    }

    /** Statuses in which a deployment is doing work. */
    public static Set<DeploymentStatus> inFlightStatuses() {
        return DeploymentTransitions.IN_FLIGHT;
    }

    static String imageTag(Application application, Deployment deployment) {
        return ContainerNaming.imageTag(application, deployment);
    }

    /** Pushes the route of an application's running deployment again (after its domains changed). */
    public void refreshRoute(String applicationId) {
        routes.refresh(applicationId);
    }

    /** Stops everything an application runs: its active deployment, containers, route and images. */
    public void removeApplication(Application application) {
        queue.stopRunsOf(application.id(), "the application was deleted");
        routes.removeAll(application.id());
        context.runtime().ifPresent(containerRuntime -> {
            for (ContainerInfo container : containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id()), true)) {
                containerRuntime.removeContainer(container.id(), true);
            }
            // A stack's network (made by engine.stack, labelled with the application).
            containerRuntime.listNetworks().stream().filter(network -> application.id().equals(network.labels().get(
                    ContainerRuntime.LABEL_APP))).forEach(network -> {
                        try {
                            containerRuntime.removeNetwork(network.id());
                        } catch (RuntimeException e) {
                            LOG.debug("network {} not removed: {}", network.name(), e.getMessage());
                        }
                    });
            containerRuntime.listImages(Map.of(ContainerRuntime.LABEL_APP, application.id())).forEach(image -> {
                try {
                    containerRuntime.removeImage(image.id());
                } catch (RuntimeException e) {
                    LOG.debug("image {} not removed: {}", image.id(), e.getMessage());
                }
            });
        });
    }

    /** Stops the application's serving container and removes its route; the app is STOPPED until started. */
    public Application stopApplication(String applicationId) {
        return new ApplicationRunState(context, routes).stop(applicationId);
    }

    /** Starts the serving container of a STOPPED application again and restores its route. */
    public Application startApplication(String applicationId) {
        return new ApplicationRunState(context, routes).start(applicationId);
    }

    /** Runs this many replicas of the application's serving release, on a runtime that scales. */
    public Application scaleApplication(String applicationId, int replicas) {
        return new ApplicationRunState(context, routes).scale(applicationId, replicas);
    }

    /** Whether a deployment of this application is queued or running now. */
    public boolean isBusy(String applicationId) {
        return !context.storage().deployments().findByApplicationAndStatus(applicationId, DeploymentTransitions.ACTIVE).isEmpty();
    }

    /**
     * Stops accepting deployments, cancels running ones (they end FAILED, interrupted), finishes
     * pending drains and stops the worker threads. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.close();
        drains.finishNow();
        if (ownTimers != null) {
            ownTimers.shutdownNow();
        }
    }
}
