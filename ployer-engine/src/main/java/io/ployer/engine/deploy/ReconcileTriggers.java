package io.ployer.engine.deploy;

import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RuntimeEvent;
import io.ployer.spi.storage.Storage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Reconciler}'s pass when something changes underneath instead of waiting for its
 * timer: a container of a RUNNING deployment died or was removed (the runtime's event stream), the
 * runtime's connection came back after it broke (events in between may be lost), or the proxy refused
 * or did not answer a route change (the pipeline says so; the pass then finds it unreachable and asks
 * every second until it answers). Containers the pipeline itself stops (drains, stops on request)
 * belong to no RUNNING deployment and trigger nothing.
 */
public final class ReconcileTriggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileTriggers.class);

    private final Storage storage;
    private final Reconciler reconciler;
    private final AtomicLong triggers = new AtomicLong();
    private Optional<AutoCloseable> watch = Optional.empty();

    public ReconcileTriggers(Storage storage, Reconciler reconciler) {
        this.storage = storage;
        this.reconciler = reconciler;
    }

    /**
     * Watches the runtime's containers of this installation (when the runtime can watch) and the
     * pipeline's proxy changes.
     */
    public ReconcileTriggers start(Optional<ContainerRuntime> runtime, DeploymentPipeline pipeline, String instanceId) {
        pipeline.onProxyTrouble(() -> fire("the reverse proxy refused or did not answer a route change"));
        runtime.ifPresent(containerRuntime -> {
            try {
                watch = containerRuntime.watchEvents(Map.of(ContainerRuntime.LABEL_MANAGED, "true",
                        ContainerRuntime.LABEL_INSTANCE, instanceId), this::onRuntimeEvent);
            } catch (RuntimeException e) {
                LOG.warn("cannot watch the container runtime's events ({}); the reconciler relies on its timer",
                        e.getMessage());
            }
            if (watch.isEmpty()) {
                LOG.info("the container runtime reports no events; the reconciler relies on its timer");
            }
        });
        return this;
    }

    /** How many passes events asked for (coalesced requests included). */
    public long triggered() {
        return triggers.get();
    }

    void onRuntimeEvent(RuntimeEvent event) {
        switch (event.type()) {
            case RECONNECTED -> fire("the container runtime is reachable again");
            case CONTAINER_DIED, CONTAINER_REMOVED -> {
                String deploymentId = event.labels().get(ContainerRuntime.LABEL_DEPLOYMENT);
                if (deploymentId != null && serves(deploymentId)) {
                    fire("the container of running deployment " + deploymentId
                            + (event.type() == RuntimeEvent.Type.CONTAINER_DIED ? " stopped" : " was removed"));
                }
            }
            default -> { }
        }
    }

    private boolean serves(String deploymentId) {
        try {
            return storage.deployments().findById(deploymentId)
                    .map(deployment -> deployment.status() == DeploymentStatus.RUNNING).orElse(false);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void fire(String why) {
        triggers.incrementAndGet();
        LOG.info("{}: reconciling now", why);
        reconciler.trigger();
    }

    @Override
    public void close() {
        watch.ifPresent(handle -> {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.debug("closing the runtime's event watch: {}", e.toString());
            }
        });
    }
}
