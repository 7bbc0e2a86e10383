package io.ployer.engine.deploy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.ServiceContainer;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The containers of an application's serving deployment, per service, and their output. */
final class ServiceContainers {
    private final PipelineContext context;

    ServiceContainers(PipelineContext context) {
        this.context = context;
    }

    List<ServiceContainer> list(String applicationId) {
        context.applications().get(applicationId);
        Optional<Deployment> serving = serving(applicationId);
        if (serving.isEmpty()) {
            return List.of();
        }
        Deployment deployment = serving.get();
        ContainerRuntime runtime = context.requireRuntime();
        return runtime.listContainers(Map.of(ContainerRuntime.LABEL_APP, applicationId, ContainerRuntime.LABEL_DEPLOYMENT,
                        deployment.id()), true).stream()
                .map(container -> new ServiceContainer(container.labels().get(StackDeployer.LABEL_SERVICE), deployment.id(),
                        container.id(), container.image(), container.state(), container.running(),
                        container.id().equals(deployment.containerId())
                                || "true".equals(container.labels().get(StackDeployer.LABEL_ROUTED)),
                        container.publishedEndpoint().map(io.ployer.api.container.Endpoint::address).orElse(null),
                        container.restarts(), container.oomKilled()))
                .sorted(Comparator.comparing(container -> Objects.requireNonNullElse(container.service(), "")))
                .toList();
    }

    List<String> logs(String applicationId, String service, int tail) {
        if (tail < 1 || tail > 10_000) {
            throw PloyerException.invalid("tail", "must be from 1 to 10000");
        }
        return context.requireRuntime().logs(choose(applicationId, service).containerId(), tail).stream()
                .map(context.redactor()).toList();
    }

    io.ployer.api.container.ResourceSample stats(String applicationId, String service) {
        return context.requireRuntime().stats(choose(applicationId, service).containerId());
    }

    private ServiceContainer choose(String applicationId, String service) {
        List<ServiceContainer> containers = list(applicationId);
        if (containers.isEmpty()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the application serves nothing: no deployment is RUNNING");
        }
        String primary = serving(applicationId).map(Deployment::containerId).orElse(null);
        return containers.stream()
                .filter(container -> service == null ? container.containerId().equals(primary) : service.equals(container.service()))
                .findFirst().orElseThrow(() -> PloyerException.invalid("service", "names no service of the running deployment "
                        + "(it has " + containers.stream().map(ServiceContainer::service).filter(Objects::nonNull).toList() + ")"));
    }

    private Optional<Deployment> serving(String applicationId) {
        return context.storage().deployments().findByApplicationAndStatus(applicationId, EnumSet.of(DeploymentStatus.RUNNING))
                .stream().max(Comparator.comparing(Deployment::createdAt));
    }
}
