package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which deployment runs when: one lane per application (one run at a time, the newest queued request
 * next), a newer request supersedes the queued ones, and webhook pushes coalesce (while one runs, at
 * most one more waits, and it deploys the branch head).
 */
final class DeploymentQueue {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentQueue.class);

    private final PipelineContext context;
    private final Function<Deployment, DeploymentRun> runs;
    private final ExecutorService runners;
    private final Map<String, DeploymentRun> activeRuns = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Deployment>> completions = new ConcurrentHashMap<>();
    private final Map<String, Object> laneLocks = new ConcurrentHashMap<>();
    private volatile boolean closing;

    DeploymentQueue(PipelineContext context, Function<Deployment, DeploymentRun> runs, ExecutorService runners) {
        this.context = context;
        this.runs = runs;
        this.runners = runners;
    }

    /** Queues a new deployment (or answers the webhook deployment already waiting) and starts it when its lane is free. */
    Deployment enqueue(Deployment deployment) {
        if (closing) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "Ployer is shutting down; no new deployment starts");
        }
        synchronized (lane(deployment.applicationId())) {
            if (deployment.trigger() == DeploymentTrigger.WEBHOOK) {
                Optional<Deployment> waiting = queued(deployment.applicationId()).stream()
                        .filter(queued -> queued.trigger() == DeploymentTrigger.WEBHOOK)
                        .filter(queued -> !activeRuns.containsKey(queued.id())).reduce((first, second) -> second);
                if (waiting.isPresent()) {
                    return waiting.get();
                }
            }
            List<Deployment> superseded = new ArrayList<>();
            context.storage().inTransaction(tx -> {
                for (Deployment queued : tx.deployments().findByApplicationAndStatus(deployment.applicationId(),
                        EnumSet.of(DeploymentStatus.QUEUED))) {
                    Deployment replaced = DeploymentTransitions.end(queued, DeploymentStatus.SUPERSEDED,
                            "superseded by a newer deployment request (" + deployment.id() + ")", context.clock().instant());
                    tx.deployments().update(replaced);
                    superseded.add(replaced);
                }
                tx.deployments().insert(deployment);
                return null;
            });
            completions.put(deployment.id(), new CompletableFuture<>());
            for (Deployment replaced : superseded) {
                context.publishStatus(replaced, DeploymentStatus.QUEUED, replaced.failureReason());
                complete(replaced);
            }
            context.publishStatus(deployment, null, null);
            startNext(deployment.applicationId());
        }
        return deployment;
    }

    /** Cancels a queued deployment at once, or asks a running one to stop (it ends CANCELLED). */
    Deployment cancel(Deployment deployment) {
        synchronized (lane(deployment.applicationId())) {
            DeploymentRun run = activeRuns.get(deployment.id());
            if (run != null) {
                run.token.cancel(CancellationToken.Cause.USER, "cancelled by request");
                return current(deployment.id());
            }
            Deployment current = current(deployment.id());
            if (current.status() == DeploymentStatus.QUEUED) {
                Instant now = context.clock().instant();
                Deployment cancelled = DeploymentTransitions.end(current, DeploymentStatus.CANCELLED, "cancelled by request", now);
                context.save(cancelled);
                context.publishStatus(cancelled, DeploymentStatus.QUEUED, cancelled.failureReason());
                complete(cancelled);
                return cancelled;
            }
            throw new PloyerException(StandardErrorCode.INVALID_STATE,
                    "deployment " + deployment.id() + " is " + current.status() + " and cannot be cancelled");
        }
    }

    /** Waits until the deployment ends (or the timeout passes); its state then. */
    Deployment awaitCompletion(Deployment current, Duration timeout) throws InterruptedException {
        CompletableFuture<Deployment> completion = completions.get(current.id());
        if (completion == null || !current.status().isActive()) {
            return current;
        }
        try {
            return completion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return current(current.id());
        }
    }

    /** Whether a run of this queue works on the deployment now. */
    boolean holds(String deploymentId) {
        return activeRuns.containsKey(deploymentId);
    }

    /** Stops the application's run, if any, and waits (a bounded time) for it to end. */
    void stopRunsOf(String applicationId, String reason) {
        for (DeploymentRun run : List.copyOf(activeRuns.values())) {
            if (run.deployment.applicationId().equals(applicationId)) {
                run.token.cancel(CancellationToken.Cause.USER, reason);
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
    }

    /** Refuses new deployments, stops the runs (they end FAILED, interrupted) and waits for them. */
    void close() {
        closing = true;
        for (DeploymentRun run : List.copyOf(activeRuns.values())) {
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
    }

    private Object lane(String applicationId) {
        return laneLocks.computeIfAbsent(applicationId, id -> new Object());
    }

    private List<Deployment> queued(String applicationId) {
        return context.storage().deployments().findByApplicationAndStatus(applicationId, EnumSet.of(DeploymentStatus.QUEUED));
    }

    private Deployment current(String deploymentId) {
        return context.storage().deployments().findById(deploymentId)
                .orElseThrow(() -> PloyerException.notFound("deployment", deploymentId));
    }

    private void startNext(String applicationId) {
        synchronized (lane(applicationId)) {
            boolean busy = activeRuns.values().stream().anyMatch(run -> run.deployment.applicationId().equals(applicationId));
            if (busy || closing) {
                return;
            }
            List<Deployment> queued = queued(applicationId);
            if (queued.isEmpty()) {
                return;
            }
            Deployment next = queued.get(queued.size() - 1);
            DeploymentRun run = runs.apply(next);
            activeRuns.put(next.id(), run);
            runners.execute(() -> {
                try {
                    run.execute();
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
}
