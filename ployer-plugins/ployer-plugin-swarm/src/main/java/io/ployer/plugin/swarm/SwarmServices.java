package io.ployer.plugin.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.container.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Swarm services, tasks and nodes through docker-java: what {@link SwarmRuntime} builds on. */
// docker-java deprecates fields Docker still sends with no replacement (an error text, a task's exit code)
@SuppressWarnings("deprecation")
final class SwarmServices {
    private final DockerClient client;
    private final String publishHost;

    SwarmServices(DockerClient client, String publishHost) {
        this.client = client;
        this.publishHost = publishHost;
    }

    /** The docker-java service spec of a Ployer one. */
    static ServiceSpec toSpec(SwarmServiceSpec spec, ServiceRestartCondition restart) {
        List<String> environment = new ArrayList<>();
        spec.environment().forEach((key, value) -> environment.add(key + "=" + value));
        ContainerSpec container = new ContainerSpec().withImage(spec.image()).withEnv(environment).withLabels(spec.labels())
                .withStopGracePeriod(spec.stopGracePeriod().toNanos());
        if (!spec.command().isEmpty()) {
            container = container.withArgs(spec.command());
        }
        if (spec.healthCommand() != null) {
            long interval = spec.healthInterval().toNanos();
            container = container.withHealthCheck(new HealthCheck().withTest(List.of("CMD-SHELL", spec.healthCommand()))
                    .withInterval(interval).withTimeout(interval).withRetries(2).withStartPeriod(0L));
        }
        TaskSpec task = new TaskSpec().withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(restart).withDelay(Duration.ofSeconds(1).toNanos()))
                .withPlacement(new ServicePlacement().withConstraints(spec.constraints()));
        ResourceRequirements resources = resources(spec.limits());
        if (resources != null) {
            task = task.withResources(resources);
        }
        if (spec.network() != null) {
            task = task.withNetworks(List.of(new NetworkAttachmentConfig().withTarget(spec.network())));
        }
        UpdateConfig update = new UpdateConfig().withParallelism(1L).withDelay(0L).withOrder(UpdateOrder.START_FIRST)
                .withFailureAction(UpdateFailureAction.ROLLBACK).withMonitor(spec.monitor().toNanos()).withMaxFailureRatio(0f);
        UpdateConfig rollback = new UpdateConfig().withParallelism(1L).withDelay(0L).withOrder(UpdateOrder.START_FIRST)
                .withFailureAction(UpdateFailureAction.PAUSE).withMonitor(spec.monitor().toNanos()).withMaxFailureRatio(0f);
        ServiceSpec service = new ServiceSpec().withName(spec.name()).withLabels(spec.labels()).withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(spec.replicas())))
                .withUpdateConfig(update).withRollbackConfig(rollback);
        if (spec.port() > 0) {
            // Host mode: each task publishes on a port of its node's choosing. Swarm's ingress routing mesh needs
            // IPVS in the kernel, which not every host has; the proxy routes to each serving task instead.
            service = service.withEndpointSpec(new EndpointSpec().withPorts(List.of(new PortConfig().withTargetPort(spec.port())
                    .withProtocol(PortConfigProtocol.TCP).withPublishMode(PortConfig.PublishMode.host))));
        }
        return service;
    }

    private static ResourceRequirements resources(ResourceLimits limits) {
        if (limits.memoryBytes() == null && limits.cpus() == null && limits.memoryReservationBytes() == null) {
            return null;
        }
        ResourceSpecs hard = new ResourceSpecs();
        if (limits.memoryBytes() != null) {
            hard = hard.withMemoryBytes(limits.memoryBytes());
        }
        if (limits.cpus() != null) {
            hard = hard.withNanoCPUs(Math.round(limits.cpus() * 1_000_000_000d));
        }
        ResourceRequirements requirements = new ResourceRequirements().withLimits(hard);
        if (limits.memoryReservationBytes() != null) {
            requirements = requirements.withReservations(new ResourceSpecs().withMemoryBytes(limits.memoryReservationBytes()));
        }
        return requirements;
    }

    Optional<Service> find(String idOrName) {
        try {
            return Optional.of(client.inspectServiceCmd(idOrName).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Creates the service, or updates it in place (a rolling update) when one of that name exists; returns its id. */
    String deploy(SwarmServiceSpec spec, ServiceRestartCondition restart) {
        ServiceSpec wanted = toSpec(spec, restart);
        Optional<Service> existing = find(spec.name());
        if (existing.isEmpty()) {
            return client.createServiceCmd(wanted).exec().getId();
        }
        return update(existing.get(), service -> wanted);
    }

    /**
     * Updates a service at its current version. Swarm bumps a service's version itself while a rolling
     * update or a rollback progresses, so an update sent with the version just read may answer "update out of
     * sequence": the service is read again and the update sent once more (a few times at most), as the Docker
     * CLI's own retries do.
     */
    private String update(Service current, java.util.function.Function<Service, ServiceSpec> change) {
        Service service = current;
        for (int attempt = 1; ; attempt++) {
            try {
                client.updateServiceCmd(service.getId(), change.apply(service)).withVersion(service.getVersion().getIndex()).exec();
                return service.getId();
            } catch (com.github.dockerjava.api.exception.DockerException e) {
                if (attempt >= 5 || e.getMessage() == null || !e.getMessage().contains("update out of sequence")) {
                    throw e;
                }
                String id = service.getId();
                service = find(id).orElseThrow(() -> new NotFoundException("no Swarm service " + id));
            }
        }
    }

    /** Sets the replicas of a service without touching anything else (no new release, no rolling update). */
    void scale(String idOrName, int replicas, String rememberLabel) {
        Service found = find(idOrName).orElseThrow(() -> new NotFoundException("no Swarm service " + idOrName));
        update(found, service -> {
            ServiceSpec spec = service.getSpec().withMode(new ServiceModeConfig()
                    .withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
            if (rememberLabel != null) {
                Map<String, String> labels = new HashMap<>(spec.getLabels() == null ? Map.of() : spec.getLabels());
                labels.put(rememberLabel, Integer.toString(replicas));
                spec = spec.withLabels(labels);
            }
            return spec;
        });
    }

    static int replicas(Service service) {
        ServiceModeConfig mode = service.getSpec().getMode();
        return mode == null || mode.getReplicated() == null ? 0 : (int) mode.getReplicated().getReplicas();
    }

    /** The service's tasks, newest first. */
    List<SwarmTask> tasks(String serviceId) {
        Map<String, String> hostnames = new HashMap<>();
        for (SwarmNode node : client.listSwarmNodesCmd().exec()) {
            hostnames.put(node.getId(), node.getDescription() == null ? "" : node.getDescription().getHostname());
        }
        List<Task> tasks = new ArrayList<>(client.listTasksCmd().withServiceFilter(serviceId).exec());
        tasks.sort(Comparator.comparing((Task task) -> String.valueOf(task.getCreatedAt())).reversed());
        List<SwarmTask> result = new ArrayList<>();
        for (Task task : tasks) {
            String containerId = task.getStatus() == null || task.getStatus().getContainerStatus() == null ? null
                    : task.getStatus().getContainerStatus().getContainerID();
            Integer exitCode = containerId == null ? null : task.getStatus().getContainerStatus().getExitCode();
            String state = task.getStatus() == null || task.getStatus().getState() == null ? "new"
                    : task.getStatus().getState().getValue();
            String desired = task.getDesiredState() == null ? "" : task.getDesiredState().getValue();
            String image = task.getSpec() == null || task.getSpec().getContainerSpec() == null ? ""
                    : task.getSpec().getContainerSpec().getImage();
            var container = "running".equals(state) ? container(containerId) : null;
            Endpoint endpoint = container == null ? null : endpoint(container);
            String health = container == null || container.getState() == null || container.getState().getHealth() == null ? null
                    : container.getState().getHealth().getStatus();
            String message = task.getStatus() == null ? "" : firstNonBlank(task.getStatus().getErr(), task.getStatus().getMessage());
            result.add(new SwarmTask(task.getId(), task.getSlot() == null ? 0 : task.getSlot(), task.getNodeId(),
                    hostnames.getOrDefault(task.getNodeId(), ""), image, desired, state, containerId, exitCode, endpoint, message, health));
        }
        return result;
    }

    private static String firstNonBlank(String first, String second) {
        return first != null && !first.isBlank() ? first : second == null ? "" : second;
    }

    /** A running task's container, if it runs on this node. */
    private InspectContainerResponse container(String containerId) {
        if (containerId == null) {
            return null;
        }
        try {
            return client.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException elsewhere) {
            return null;
        }
    }

    /** The loopback endpoint of a task container's published port. */
    private Endpoint endpoint(InspectContainerResponse container) {
        Ports ports = container.getNetworkSettings() == null ? null : container.getNetworkSettings().getPorts();
        if (ports == null) {
            return null;
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry : ports.getBindings().entrySet()) {
            for (Ports.Binding binding : entry.getValue() == null ? new Ports.Binding[0] : entry.getValue()) {
                // the IPv4 binding: Docker may give the IPv6 one another port
                if (binding.getHostIp() == null || !binding.getHostIp().contains(":")) {
                    return new Endpoint(publishHost, Integer.parseInt(binding.getHostPortSpec()));
                }
            }
        }
        return null;
    }

    List<SwarmNodeInfo> nodes() {
        List<SwarmNodeInfo> nodes = new ArrayList<>();
        for (SwarmNode node : client.listSwarmNodesCmd().exec()) {
            var spec = node.getSpec();
            var description = node.getDescription();
            var resources = description == null ? null : description.getResources();
            nodes.add(new SwarmNodeInfo(node.getId(), description == null ? "" : description.getHostname(),
                    spec == null || spec.getRole() == null ? "" : spec.getRole().name().toLowerCase(java.util.Locale.ROOT),
                    node.getStatus() == null || node.getStatus().getState() == null ? "unknown"
                            : node.getStatus().getState().name().toLowerCase(java.util.Locale.ROOT),
                    spec == null || spec.getAvailability() == null ? ""
                            : spec.getAvailability().name().toLowerCase(java.util.Locale.ROOT),
                    node.getStatus() == null ? "" : node.getStatus().getAddress(),
                    spec == null ? Map.of() : spec.getLabels(),
                    resources == null || resources.getNanoCPUs() == null ? 0 : resources.getNanoCPUs(),
                    resources == null || resources.getMemoryBytes() == null ? 0 : resources.getMemoryBytes()));
        }
        return nodes;
    }
}
