package io.ployer.engine.deploy;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.proxy.Route;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.storage.Storage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's last step: removes labelled containers of this instance that no serving or active
 * deployment owns, that the pipeline does not drain, and that no route of the proxy points at.
 */
final class OrphanSweep {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

    private final Storage storage;
    private final DeploymentPipeline pipeline;
    private final String instanceId;

    OrphanSweep(Storage storage, DeploymentPipeline pipeline, String instanceId) {
        this.storage = storage;
        this.pipeline = pipeline;
        this.instanceId = instanceId;
    }

    /** Removes the orphans, counting each in {@code removed}; throws when the runtime does not answer. */
    void sweep(ContainerRuntime containerRuntime, Map<String, Deployment> serving, List<Route> routes, AtomicLong removed) {
        Set<String> upstreams = new HashSet<>();
        routes.forEach(route -> route.upstreams().forEach(upstream -> upstreams.add(upstream.address())));
        for (ContainerInfo container : containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_MANAGED, "true",
                ContainerRuntime.LABEL_INSTANCE, instanceId), true)) {
            String deploymentId = container.labels().get(ContainerRuntime.LABEL_DEPLOYMENT);
            String applicationId = container.labels().get(ContainerRuntime.LABEL_APP);
            if (deploymentId == null || applicationId == null) {
                continue;
            }
            synchronized (pipeline.routeLock(applicationId)) {
                if (owned(deploymentId, container, serving)
                        || container.publishedEndpoint().map(endpoint -> upstreams.contains(endpoint.address())).orElse(false)) {
                    continue;
                }
                LOG.info("removing orphan container {} ({}) of application {}", ContainerNaming.shortId(container.id()),
                        container.name(), applicationId);
                containerRuntime.removeContainer(container.id(), true);
                removed.incrementAndGet();
            }
        }
    }

    private boolean owned(String deploymentId, ContainerInfo container, Map<String, Deployment> serving) {
        if (pipeline.holds(deploymentId)) {
            return true;
        }
        if (serving.values().stream().anyMatch(deployment -> container.id().equals(deployment.containerId()))) {
            return true;
        }
        Optional<Deployment> deployment = storage.deployments().findById(deploymentId);
        // Unknown to this database (another installation's, or written before a restore): not ours to judge.
        return deployment.isEmpty() || deployment.get().status() == DeploymentStatus.RUNNING
                || DeploymentTransitions.ACTIVE.contains(deployment.get().status());
    }
}
