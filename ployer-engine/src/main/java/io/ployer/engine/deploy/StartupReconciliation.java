package io.ployer.engine.deploy;

import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.proxy.Route;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.api.container.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings storage, containers and routes back in line after a start: deployments left mid-flight end
 * FAILED (interrupted), labelled containers no running deployment owns are removed, stopped
 * containers of running deployments are started, and every route is pushed to the proxy again.
 * Storage is the truth.
 */
final class StartupReconciliation {
    private static final Logger LOG = LoggerFactory.getLogger(StartupReconciliation.class);

    private final PipelineContext context;
    private final RouteTable routes;

    StartupReconciliation(PipelineContext context, RouteTable routes) {
        this.context = context;
        this.routes = routes;
    }

    void run() {
        failInterrupted();
        List<Deployment> running = context.storage().deployments().findByStatus(EnumSet.of(DeploymentStatus.RUNNING));
        List<Route> desired = new ArrayList<>();
        List<ContainerInfo> orphans = new ArrayList<>();
        context.runtime().ifPresent(containerRuntime -> {
            try {
                orphans.addAll(startServing(containerRuntime, running, desired));
            } catch (RuntimeException e) {
                LOG.warn("could not reconcile containers: {}", e.getMessage());
            }
        });
        if (context.runtime().isEmpty()) {
            for (Deployment deployment : running) {
                if (deployment.endpoint() != null) {
                    desired.addAll(routes.routesFor(deployment.applicationId(), ServiceRoutes.Serving.stored(
                            Endpoint.parse(deployment.endpoint()))));
                }
            }
        }
        context.proxy().ifPresent(reverseProxy -> {
            try {
                reverseProxy.replaceAll(desired);
            } catch (RuntimeException e) {
                LOG.warn("could not push routes to the proxy: {}", e.getMessage());
            }
        });
        // Only now that the proxy routes to what should serve is what should not serve removed: a container of a
        // deployment killed in SWITCHING may still be the proxy's upstream until the line above replaced it.
        context.runtime().ifPresent(containerRuntime -> {
            for (ContainerInfo container : orphans) {
                try {
                    LOG.info("removing orphan container {} ({})", ContainerNaming.shortId(container.id()), container.name());
                    containerRuntime.removeContainer(container.id(), true);
                } catch (RuntimeException e) {
                    LOG.warn("could not remove orphan container {}: {}", ContainerNaming.shortId(container.id()), e.getMessage());
                }
            }
        });
    }

    /** Every deployment left queued or mid-flight ends FAILED: its run died with the previous process. */
    private void failInterrupted() {
        Instant now = context.clock().instant();
        for (Deployment stale : context.storage().deployments().findByStatus(DeploymentTransitions.ACTIVE)) {
            String reason = "interrupted: Ployer stopped while the deployment was " + stale.status();
            Deployment failed = DeploymentTransitions.end(stale, DeploymentStatus.FAILED, reason, now);
            context.save(failed);
            context.publishStatus(failed, stale.status(), reason);
            LOG.info("deployment {} of application {} was {} when Ployer stopped; marked FAILED",
                    stale.id(), stale.applicationId(), stale.status());
        }
    }

    /** Starts stopped containers of running deployments, collects their routes; returns the orphan containers. */
    private List<ContainerInfo> startServing(ContainerRuntime containerRuntime, List<Deployment> running, List<Route> desired) {
        Set<String> owned = new HashSet<>();
        Set<String> runningIds = new HashSet<>();
        for (Deployment deployment : running) {
            if (deployment.containerId() == null) {
                continue;
            }
            owned.add(deployment.containerId());
            runningIds.add(deployment.id());
            try {
                serve(containerRuntime, deployment, desired);
            } catch (RuntimeException e) {
                // Its engine does not answer (a remote server that cannot be reached): its route stays as stored.
                LOG.warn("could not check the container of running deployment {}: {}", deployment.id(), e.getMessage());
                if (deployment.endpoint() != null) {
                    desired.addAll(routes.routesFor(deployment.applicationId(), ServiceRoutes.Serving.stored(
                            Endpoint.parse(deployment.endpoint()))));
                }
            }
        }
        List<ContainerInfo> orphans = new ArrayList<>();
        for (ContainerInfo container : containerRuntime.listContainers(Map.of(ContainerRuntime.LABEL_MANAGED, "true",
                ContainerRuntime.LABEL_INSTANCE, context.instanceId()), true)) {
            // A stack's other services (its further routed ones too) belong to the running deployment as well.
            if (!owned.contains(container.id()) && !runningIds.contains(container.labels().get(ContainerRuntime.LABEL_DEPLOYMENT))) {
                orphans.add(container);
            }
        }
        return orphans;
    }

    private void serve(ContainerRuntime containerRuntime, Deployment deployment, List<Route> desired) {
        Optional<ContainerInfo> info = containerRuntime.inspectContainer(deployment.containerId());
        if (info.isEmpty()) {
            LOG.warn("the container of running deployment {} is gone", deployment.id());
            return;
        }
        if (!info.get().running()) {
            containerRuntime.startContainer(deployment.containerId());
            info = containerRuntime.inspectContainer(deployment.containerId());
        }
        Optional<Endpoint> endpoint = info.flatMap(ContainerInfo::publishedEndpoint);
        if (endpoint.isPresent() && !endpoint.get().address().equals(deployment.endpoint())) {
            context.save(deployment.withContainer(deployment.containerId(), endpoint.get().address()));
        }
        endpoint.ifPresent(found -> desired.addAll(routes.routesOf(deployment, found)));
    }
}
