package io.ployer.engine.deploy;

import io.ployer.api.container.ContainerInfo;
import io.ployer.api.deployment.Deployment;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of replaced deployments (a stack's routed services' each), kept running for the drain period after a switch so
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
            retireAll(old);
        }));
    }

    /** Whether the container of this deployment is draining now. */
    boolean holds(String deploymentId) {
        return pending.containsKey(deploymentId);
    }

    /**
     * Retires every draining container now (engine stop), all at once: each stop waits up to
     * {@code deploy.stop-timeout} for its program to exit, so one at a time would make close() take that
     * long per container.
     */
    void finishNow() {
        List<String> containers = new ArrayList<>();
        for (Map.Entry<String, DeploymentTimers.Scheduled> drain : Map.copyOf(pending).entrySet()) {
            if (drain.getValue().cancel()) {
                pending.remove(drain.getKey());
                context.storage().deployments().findById(drain.getKey()).ifPresent(old -> containers.addAll(containersOf(old)));
            }
        }
        if (containers.size() <= 1) {
            containers.forEach(this::retire);
            return;
        }
        List<Thread> stoppers = new ArrayList<>();
        for (String containerId : containers) {
            Thread stopper = new Thread(() -> retire(containerId), "ployer-retire-" + ContainerNaming.shortId(containerId));
            stopper.setDaemon(true);
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void retireAll(Deployment old) {
        containersOf(old).forEach(this::retire);
    }

    /** The deployment's container, and a stack's further routed services' (they drained with it). */
    private List<String> containersOf(Deployment old) {
        List<String> containers = new ArrayList<>();
        containers.add(old.containerId());
        context.runtime().ifPresent(containerRuntime -> {
            try {
                containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_APP, old.applicationId(), ContainerRuntime.LABEL_DEPLOYMENT,
                        old.id(), StackDeployer.LABEL_ROUTED, "true"), true).stream().map(ContainerInfo::id)
                        .filter(id -> !id.equals(old.containerId())).forEach(containers::add);
            } catch (RuntimeException e) {
                LOG.warn("could not list the routed services of deployment {}: {}", old.id(), e.getMessage());
            }
        });
        return containers;
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
