package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.application.RunSecrets;
import io.ployer.spi.build.BuildOutcome;
import io.ployer.spi.build.BuildRequest;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One deployment worked on step by step: {@code [CLONING] → [BUILDING] → STARTING → HEALTH_CHECKING →
 * SWITCHING → RUNNING}, each status stored before its work begins, each step bounded by its timeout
 * and stopped by the run's {@link CancellationToken} (a user's cancel, a timeout, engine stop). How
 * the run ends is {@link RunEnding}'s job; starting the container is {@link ContainerStart}'s.
 */
final class DeploymentRun {
    private final PipelineContext context;
    private final HealthGate healthGate;
    private final RouteTable routes;
    private final BuildSlots buildSlots;
    private final RunEnding ending;
    final PipelineHooks hooks;
    final CancellationToken token = new CancellationToken();
    volatile Deployment deployment;
    DeploymentLog log;
    /** What this run made, for the clean-up of a failed or cancelled run. */
    String createdContainer;
    String builtImage;
    final List<String> stoppedForExclusive = new ArrayList<>();
    /** What a stack run made besides {@link #createdContainer} and {@link #builtImage}. */
    final List<String> createdContainers = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> builtImages = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The application's secrets, decrypted once when the run starts and dropped when it ends. */
    volatile RunSecrets secrets = RunSecrets.none();

    DeploymentRun(Deployment deployment, PipelineContext context, HealthGate healthGate, RouteTable routes,
                  BuildSlots buildSlots, RunEnding ending, PipelineHooks hooks) {
        this.deployment = deployment;
        this.hooks = hooks;
        this.context = context;
        this.healthGate = healthGate;
        this.routes = routes;
        this.buildSlots = buildSlots;
        this.ending = ending;
    }

    /** Works the deployment to RUNNING, or to FAILED or CANCELLED; never throws. */
    void execute() {
        long nextSequence = context.storage().deployments().logs(deployment.id()).size();
        log = new DeploymentLog(deployment.id(), deployment.applicationId(), context.storage(), context.clock(),
                context.redactor(), context.events(), context.settings().logLimitBytes(), nextSequence);
        try {
            Application application = context.applications().get(deployment.applicationId());
            ContainerRuntime containerRuntime = hooks.serverRuntimes() == null ? context.requireRuntime()
                    : hooks.serverRuntimes().apply(application).orElseGet(context::requireRuntime);
            secrets = context.applications().runSecrets(application.id());
            context.applications().setStatus(application.id(), ApplicationStatus.DEPLOYING);
            persist(deployment.withStartedAt(context.clock().instant()));
            StackDeployer stacks = hooks.stackDeployer();
            StackRunControl stack = stacks.handles(application) ? new StackRunControl(this, context, healthGate, buildSlots) : null;
            ServiceRoutes.Serving serving = stack != null ? startStack(stacks, application, stack)
                    : ServiceRoutes.Serving.single(startContainer(application, containerRuntime));
            move(DeploymentStatus.SWITCHING);
            synchronized (routes.routeLock(application.id())) {
                routes.switchTo(application.id(), serving, log);
                ending.finishRunning(this, application);
            }
            if (stack != null) {
                stacks.afterRunning(application, stack);
            }
        } catch (Exception | LinkageError e) {
            ending.fail(this, e);
        } finally {
            secrets.close();
        }
    }

    /** What the checkout authenticates with: the run's secrets, so it never asks for them itself. */
    SourceCheckout.Credentials credentials() {
        return new SourceCheckout.Credentials(secrets.gitToken().orElse(null), secrets.privateDeployKey().orElse(null));
    }

    private Endpoint startContainer(Application application, ContainerRuntime containerRuntime) throws Exception {
        String image = deployment.rollbackOf() != null ? reuseImage() : build(application, containerRuntime);
        move(DeploymentStatus.STARTING);
        Endpoint endpoint = withTimeout(context.settings().startTimeout(), "start",
                () -> new ContainerStart(context, this).start(application, containerRuntime, image));
        move(DeploymentStatus.HEALTH_CHECKING);
        withTimeout(context.settings().healthTimeout(), "health check", () -> {
            healthGate.await(containerRuntime, createdContainer, hooks.probeEndpoint(application, endpoint),
                    context.storage().healthChecks().find(application.id()), application.port(),
                    context.settings().healthTimeout(), log, token);
            return null;
        });
        return endpoint;
    }

    /** A stack: the deployer runs to healthy routed services; the primary one's container becomes the deployment's. */
    private ServiceRoutes.Serving startStack(StackDeployer stacks, Application application, StackRunControl stack) throws Exception {
        StackDeployer.Started started = stacks.start(application, stack);
        if (token.isCancelled()) {
            throw cancelled();
        }
        createdContainer = started.containerId();
        persist(deployment.withContainer(started.containerId(), started.endpoint().address()));
        return new ServiceRoutes.Serving(started.service(), started.endpoint(), started.others());
    }

    private String reuseImage() {
        log.system("Rollback to deployment " + deployment.rollbackOf() + ": reusing image "
                + deployment.imageRef() + " without building");
        return deployment.imageRef();
    }

    private String build(Application application, ContainerRuntime containerRuntime) throws Exception {
        BuildStrategy strategy = context.strategies().get(application.buildStrategy());
        if (strategy == null) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the build strategy '" + application.buildStrategy()
                    + "' is not available; available: " + context.strategies().keySet());
        }
        Path sourceDirectory = null;
        if (strategy.needsSource()) {
            move(DeploymentStatus.CLONING);
            SourceCheckout.CheckedOut checkedOut = withTimeout(context.settings().cloneTimeout(), "clone",
                    () -> context.source().checkout(application, deployment.commitSha(), credentials(), log.stream("git"), token));
            persist(deployment.withCommit(checkedOut.commitSha(), checkedOut.commitMessage()));
            sourceDirectory = checkedOut.directory();
        }
        move(DeploymentStatus.BUILDING);
        if (!buildSlots.acquire(token, log)) {
            throw cancelled();
        }
        try {
            String tag = ContainerNaming.imageTag(application, deployment);
            BuildRequest request = new BuildRequest(application.id(), deployment.id(), sourceDirectory,
                    application.buildConfig(), secrets.environment(true), tag,
                    ContainerNaming.imageLabels(context.instanceId(), application));
            log.system("Building with the '" + application.buildStrategy() + "' strategy as " + tag);
            BuildOutcome outcome = withTimeout(context.settings().buildTimeout(), "build",
                    () -> strategy.build(request, containerRuntime, log.stream("build"), token));
            if (outcome instanceof BuildOutcome.Failed failed) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "the build failed: " + failed.reason());
            }
            String image = ((BuildOutcome.Built) outcome).imageRef();
            builtImage = image;
            persist(deployment.withImage(image).withImageDigest(((BuildOutcome.Built) outcome).sourceDigest()));
            // a registry image whose digest already runs: nothing to switch (ends CANCELLED, the old one serves)
            UnchangedImage.check(context.storage(), application, deployment);
            hooks.imagePublisher().publish(application, deployment, image, containerRuntime, log.stream("build"), token);
            return image;
        } finally {
            buildSlots.release();
        }
    }

    /** A step's work. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a step; its timeout fires the token (the step's work watches it). */
    <T> T withTimeout(Duration timeout, String step, Step<T> work) throws Exception {
        DeploymentTimers.Scheduled timer = context.timers().schedule(timeout, () -> token.cancel(CancellationToken.Cause.TIMEOUT,
                "timed out: the " + step + " step took longer than " + timeout.toSeconds() + "s"));
        try {
            T result = work.run();
            if (token.isCancelled()) {
                throw cancelled();
            }
            return result;
        } finally {
            timer.cancel();
        }
    }

    /** Stores and announces the next status, unless the run was cancelled meanwhile. */
    void move(DeploymentStatus next) {
        if (token.isCancelled()) {
            throw cancelled();
        }
        Deployment before = deployment;
        Deployment moved = DeploymentTransitions.move(before, next, context.clock().instant());
        log.flush();
        persist(moved);
        context.publishStatus(deployment, before.status(), null);
        log.system("Status: " + next);
    }

    void persist(Deployment updated) {
        context.save(updated);
        deployment = updated;
    }

    PloyerException cancelled() {
        CancellationToken.Reason reason = token.reason();
        return new PloyerException(StandardErrorCode.CANCELLED, reason == null ? "cancelled" : reason.message());
    }
}
