package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.runtime.ContainerRuntime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run ends: RUNNING (the replaced deployments become SUPERSEDED and drain, old images are
 * pruned), or FAILED / CANCELLED with a reason for people, after removing what the run made so the
 * previous version keeps serving alone.
 */
final class RunEnding {
    private static final Logger LOG = LoggerFactory.getLogger(RunEnding.class);

    private final PipelineContext context;
    private final Drains drains;
    private final ImageRetention retention;

    RunEnding(PipelineContext context, Drains drains, ImageRetention retention) {
        this.context = context;
        this.drains = drains;
        this.retention = retention;
    }

    /** SWITCHING → RUNNING, and the previous RUNNING deployments → SUPERSEDED, in one transaction. */
    void finishRunning(DeploymentRun run, Application application) {
        List<Deployment> previous = context.storage().deployments().findByApplicationAndStatus(application.id(),
                EnumSet.of(DeploymentStatus.RUNNING));
        Instant now = context.clock().instant();
        Deployment running = DeploymentTransitions.move(run.deployment, DeploymentStatus.RUNNING, now).withFinishedAt(now);
        List<Deployment> replaced = new ArrayList<>();
        for (Deployment old : previous) {
            replaced.add(DeploymentTransitions.move(old, DeploymentStatus.SUPERSEDED, now));
        }
        context.storage().inTransaction(tx -> {
            tx.deployments().update(running);
            replaced.forEach(tx.deployments()::update);
            return null;
        });
        Deployment before = run.deployment;
        run.deployment = running;
        context.publishStatus(running, before.status(), null);
        context.applications().setStatus(application.id(), ApplicationStatus.RUNNING);
        run.log.system("Deployment is RUNNING");
        run.log.flush();
        for (Deployment old : replaced) {
            context.publishStatus(old, DeploymentStatus.RUNNING, "superseded by " + running.id());
            if (old.containerId() != null) {
                drains.schedule(old);
            }
        }
        retention.prune(application.id());
    }

    /** Ends the run FAILED (or CANCELLED on a user's request), cleaning up after it; never throws. */
    void fail(DeploymentRun run, Throwable error) {
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
        message = context.redactor().apply(message);
        if (!(error instanceof PloyerException)) {
            LOG.error("deployment {} failed unexpectedly", run.deployment.id(), error);
        } else if (reason == null) {
            // The reason stored for people is a sentence; what the failing component said is kept here.
            LOG.warn("deployment {} failed during {}: {}", run.deployment.id(), run.deployment.status(),
                    context.redactor().apply(String.valueOf(error.getMessage())));
        }
        run.log.system((target == DeploymentStatus.CANCELLED ? "Cancelled: " : "Failed: ") + message);
        cleanUp(run);
        try {
            run.log.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not store the last log lines of deployment {}", run.deployment.id());
        }
        Deployment before = run.deployment;
        try {
            Deployment ended = DeploymentTransitions.end(before, target, message, context.clock().instant());
            context.save(ended);
            run.deployment = ended;
            context.publishStatus(ended, before.status(), message);
            boolean serving = !context.storage().deployments().findByApplicationAndStatus(before.applicationId(),
                    EnumSet.of(DeploymentStatus.RUNNING)).isEmpty();
            context.applications().setStatus(before.applicationId(), serving ? ApplicationStatus.RUNNING
                    : target == DeploymentStatus.CANCELLED ? ApplicationStatus.CREATED : ApplicationStatus.FAILED);
        } catch (RuntimeException e) {
            LOG.error("could not record the end of deployment {}", before.id(), e);
        }
    }

    /** Whether the container engine went away or restarted while this run worked (checked once it failed). */
    private FailureReasons.RuntimeLoss runtimeLoss(DeploymentRun run, Throwable error) {
        try {
            return context.runtime().map(containerRuntime -> FailureReasons.probeRuntime(containerRuntime,
                    run.deployment.startedAt(), context.storage().deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING))
                            .stream().map(Deployment::containerId).filter(Objects::nonNull).toList(),
                    FailureReasons.watchAfter(error), run.token)).orElse(FailureReasons.RuntimeLoss.NONE);
        } catch (RuntimeException e) {
            LOG.debug("could not ask the container engine about deployment {}: {}", run.deployment.id(), e.getMessage());
            return FailureReasons.RuntimeLoss.NONE;
        }
    }

    /** Removes what a failed or cancelled run created, so the previous version keeps serving alone. */
    private void cleanUp(DeploymentRun run) {
        ContainerRuntime containerRuntime = context.runtime().orElse(null);
        if (containerRuntime == null) {
            return;
        }
        if (run.createdContainer != null) {
            try {
                containerRuntime.removeContainer(run.createdContainer, true);
                run.log.system("Removed container " + ContainerNaming.shortId(run.createdContainer));
            } catch (RuntimeException e) {
                LOG.warn("could not remove container {}: {}", ContainerNaming.shortId(run.createdContainer), e.getMessage());
            }
        }
        for (String created : List.copyOf(run.createdContainers)) {
            if (created.equals(run.createdContainer)) {
                continue;
            }
            try {
                containerRuntime.removeContainer(created, true);
                run.log.system("Removed container " + ContainerNaming.shortId(created));
            } catch (RuntimeException e) {
                LOG.warn("could not remove container {}: {}", ContainerNaming.shortId(created), e.getMessage());
            }
        }
        if (run.deployment.rollbackOf() == null) {
            for (String image : List.copyOf(run.builtImages)) {
                try {
                    containerRuntime.removeImage(image);
                } catch (RuntimeException e) {
                    LOG.debug("could not remove image {}: {}", image, e.getMessage());
                }
            }
        }
        for (String stopped : run.stoppedForExclusive) {
            try {
                containerRuntime.startContainer(stopped);
                run.log.system("Started the previous container " + ContainerNaming.shortId(stopped) + " again");
            } catch (RuntimeException e) {
                LOG.warn("could not start the previous container {} again: {}", ContainerNaming.shortId(stopped), e.getMessage());
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
}
