package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RuntimeCapability;
import io.ployer.api.container.Endpoint;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops and starts an application's serving container on request. Stop removes the route first (no request
 * reaches a stopping container), then stops the container ({@code deploy.stop-timeout}) and marks the app
 * STOPPED; the reconciler and the health monitor leave a STOPPED app alone (no restart, no route). Start
 * starts the same container again, stores where it answers now, restores the route and marks the app
 * RUNNING. Both are idempotent and run under the application's route lock, like a switch.
 */
final class ApplicationRunState {
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationRunState.class);

    private final PipelineContext context;
    private final RouteTable routes;

    ApplicationRunState(PipelineContext context, RouteTable routes) {
        this.context = context;
        this.routes = routes;
    }

    Application stop(String applicationId) {
        Application application = context.applications().get(applicationId);
        synchronized (routes.routeLock(applicationId)) {
            if (application.status() == ApplicationStatus.STOPPED) {
                return application;
            }
            requireIdle(applicationId, "stopped");
            Deployment serving = serving(applicationId, "stop");
            ContainerRuntime runtime = context.requireRuntime();
            routes.removeAll(applicationId);
            runtime.stopContainer(serving.containerId(), context.settings().stopTimeout());
            context.applications().setStatus(applicationId, ApplicationStatus.STOPPED);
            LOG.info("application {} stopped on request (container {})", applicationId, ContainerNaming.shortId(serving.containerId()));
        }
        return context.applications().get(applicationId);
    }

    Application start(String applicationId) {
        Application application = context.applications().get(applicationId);
        synchronized (routes.routeLock(applicationId)) {
            if (application.status() == ApplicationStatus.RUNNING) {
                return application;
            }
            requireIdle(applicationId, "started");
            Deployment serving = serving(applicationId, "start");
            ContainerRuntime runtime = context.requireRuntime();
            runtime.startContainer(serving.containerId());
            Optional<Endpoint> endpoint = runtime.inspectContainer(serving.containerId()).flatMap(ContainerInfo::publishedEndpoint);
            if (endpoint.isPresent() && !endpoint.get().address().equals(serving.endpoint())) {
                context.save(serving.withContainer(serving.containerId(), endpoint.get().address()));
            }
            Optional<Endpoint> target = endpoint.or(() -> Optional.ofNullable(serving.endpoint()).map(Endpoint::parse));
            target.map(answer -> routes.routesOf(serving, answer)).orElse(List.of())
                    .forEach(route -> context.proxy().ifPresent(proxy -> proxy.apply(route)));
            context.applications().setStatus(applicationId, ApplicationStatus.RUNNING);
            LOG.info("application {} started on request (container {})", applicationId, ContainerNaming.shortId(serving.containerId()));
        }
        return context.applications().get(applicationId);
    }

    Application scale(String applicationId, int replicas) {
        Application application = context.applications().get(applicationId);
        ContainerRuntime runtime = context.requireRuntime();
        if (!runtime.capabilities().contains(RuntimeCapability.SCALES)) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "this installation's container runtime runs one container"
                    + " per application and cannot scale it; use a runtime that scales, such as swarm");
        }
        synchronized (routes.routeLock(applicationId)) {
            requireIdle(applicationId, "scaled");
            if (application.status() == ApplicationStatus.STOPPED) {
                throw new PloyerException(StandardErrorCode.INVALID_STATE, "the application is stopped; start it before scaling it");
            }
            Deployment serving = serving(applicationId, "scale");
            runtime.scale(serving.containerId(), replicas);
            LOG.info("application {} scaled to {} replicas (container {})", applicationId, replicas,
                    ContainerNaming.shortId(serving.containerId()));
        }
        return context.applications().get(applicationId);
    }

    private void requireIdle(String applicationId, String what) {
        if (!context.storage().deployments().findByApplicationAndStatus(applicationId, DeploymentTransitions.ACTIVE).isEmpty()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "a deployment of this application is in progress; "
                    + "wait for it or cancel it before the application can be " + what);
        }
    }

    private Deployment serving(String applicationId, String what) {
        return context.storage().deployments().findByApplicationAndStatus(applicationId, EnumSet.of(DeploymentStatus.RUNNING))
                .stream().filter(deployment -> deployment.containerId() != null).reduce((first, second) -> second)
                .orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                        "the application has no running deployment to " + what + "; deploy it first"));
    }
}
