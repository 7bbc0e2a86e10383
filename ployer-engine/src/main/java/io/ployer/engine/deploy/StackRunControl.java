package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.engine.application.ApplicationVolumes;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A {@link DeploymentRun} as a {@link StackDeployer} sees it. */
final class StackRunControl implements StackDeployer.Run {
    private final DeploymentRun run;
    private final PipelineContext context;
    private final HealthGate healthGate;
    private final BuildSlots buildSlots;
    private final List<Deployment> previous;

    StackRunControl(DeploymentRun run, PipelineContext context, HealthGate healthGate, BuildSlots buildSlots) {
        this.run = run;
        this.context = context;
        this.healthGate = healthGate;
        this.buildSlots = buildSlots;
        this.previous = List.copyOf(context.storage().deployments().findByApplicationAndStatus(run.deployment.applicationId(),
                EnumSet.of(DeploymentStatus.RUNNING)));
    }

    @Override
    public Deployment deployment() {
        return run.deployment;
    }

    @Override
    public Deployment rollbackTarget() {
        return run.deployment.rollbackOf() == null ? null
                : context.storage().deployments().findById(run.deployment.rollbackOf()).orElse(null);
    }

    @Override
    public void move(DeploymentStatus next) {
        run.move(next);
    }

    @Override
    public void persist(Deployment updated) {
        run.persist(updated);
    }

    @Override
    public SourceCheckout.CheckedOut checkout(Application application, String commitSha) throws Exception {
        return run.withTimeout(context.settings().cloneTimeout(), "clone",
                () -> context.source().checkout(application, commitSha, run.credentials(), run.log.stream("git"), run.token));
    }

    @Override
    public <T> T build(StackDeployer.Work<T> work) throws Exception {
        if (!buildSlots.acquire(run.token, run.log)) {
            throw run.cancelled();
        }
        try {
            return run.withTimeout(context.settings().buildTimeout(), "build", work::run);
        } finally {
            buildSlots.release();
        }
    }

    @Override
    public <T> T withTimeout(Duration timeout, String step, StackDeployer.Work<T> work) throws Exception {
        return run.withTimeout(timeout, step, work::run);
    }

    @Override
    public void awaitHealthy(Application application, String containerId, Endpoint endpoint, int port) throws Exception {
        run.withTimeout(context.settings().healthTimeout(), "health check", () -> {
            healthGate.await(context.requireRuntime(), containerId, endpoint, context.storage().healthChecks().find(application.id()),
                    port, context.settings().healthTimeout(), run.log, run.token);
            return null;
        });
    }

    @Override
    public List<io.ployer.api.container.Mount> applicationMounts(Application application) {
        List<io.ployer.api.application.Volume> volumes = ApplicationVolumes.of(context.storage(), application.id());
        for (io.ployer.api.application.Volume volume : volumes) {
            if (volume.exclusive()) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "the volume " + volume.name() + " is exclusive, which a "
                        + "Compose application cannot mount (its routed services switch with no gap); declare it in the Compose "
                        + "file instead, or make it not exclusive");
            }
        }
        ApplicationVolumes.ensureCreated(context.requireRuntime(), application, volumes, context.instanceId());
        List<io.ployer.api.container.Mount> mounts = new java.util.ArrayList<>(ApplicationVolumes.mounts(volumes));
        mounts.addAll(run.hooks.extraMounts(application, run.deployment));
        return mounts;
    }

    @Override
    public void system(String line) {
        run.log.system(line);
    }

    @Override
    public Consumer<String> stream(String name) {
        return run.log.stream(name);
    }

    @Override
    public Cancellation cancellation() {
        return run.token;
    }

    @Override
    public boolean pause(Duration pause) throws InterruptedException {
        return run.token.await(pause);
    }

    @Override
    public PloyerException cancelled() {
        return run.cancelled();
    }

    @Override
    public ContainerRuntime runtime() {
        return context.requireRuntime();
    }

    @Override
    public DeploySettings settings() {
        return context.settings();
    }

    @Override
    public String instanceId() {
        return context.instanceId();
    }

    @Override
    public Map<String, String> environment(String applicationId, boolean buildTimeOnly) {
        // the run's own application: what the run decrypted when it started
        return applicationId.equals(run.deployment.applicationId()) ? run.secrets.environment(buildTimeOnly)
                : context.applications().plainEnvironment(applicationId, buildTimeOnly);
    }

    @Override
    public void created(String containerId) {
        run.createdContainers.add(containerId);
    }

    @Override
    public void built(String imageRef) {
        run.builtImages.add(imageRef);
    }

    @Override
    public List<Deployment> previous() {
        return previous;
    }
}
