package io.ployer.engine.deploy;

import io.ployer.api.deployment.Deployment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of replaced deployments, kept running for the drain period after a switch so
 * requests in flight finish, then stopped and removed.
 */
final class Drains {
    private static final Logger LOG = LoggerFactory.getLogger(Drains.class);

    private final PipelineContext context;
    private final Map<String, DeploymentTimers.Scheduled> pending = new ConcurrentHashMap<>();

    Drains(PipelineContext context) {
        this.context = context;
    }

    /** Retires the container of a replaced deployment once the drain period has passed. */
    void schedule(Deployment old) {
        pending.put(old.id(), context.timers().schedule(context.settings().drainPeriod(), () -> {
            pending.remove(old.id());
            retire(old.containerId());
        }));
    }

    /** Whether the container of this deployment is draining now. */
    boolean holds(String deploymentId) {
        return pending.containsKey(deploymentId);
    }

    /** Retires every draining container now (engine stop). */
    void finishNow() {
        for (Map.Entry<String, DeploymentTimers.Scheduled> drain : Map.copyOf(pending).entrySet()) {
            if (drain.getValue().cancel()) {
                pending.remove(drain.getKey());
                context.storage().deployments().findById(drain.getKey()).map(Deployment::containerId).ifPresent(this::retire);
            }
        }
    }

    private void retire(String containerId) {
        context.runtime().ifPresent(containerRuntime -> {
            try {
                containerRuntime.stopContainer(containerId, context.settings().stopTimeout());
                containerRuntime.removeContainer(containerId, true);
            } catch (RuntimeException e) {
                LOG.warn("could not remove old container {}: {}", ContainerNaming.shortId(containerId),
                        context.redactor().apply(String.valueOf(e.getMessage())));
            }
        });
    }
}
