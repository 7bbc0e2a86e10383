package io.ployer.engine.container;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.api.container.ContainerRequest;
import io.ployer.api.container.ContainerService;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The containers API over the configured runtime, with every input checked before the runtime sees it. */
public final class DefaultContainerService implements ContainerService {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9._/:@-]{0,254}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

    private final Optional<ContainerRuntime> runtime;
    private final Duration stopTimeout;

    public DefaultContainerService(Optional<ContainerRuntime> runtime, Duration stopTimeout) {
        this.runtime = runtime;
        this.stopTimeout = stopTimeout;
    }

    private ContainerRuntime runtime() {
        return runtime.orElseThrow(() -> new PloyerException(StandardErrorCode.CONFIGURATION,
                "no container runtime is configured (add ployer-plugin-docker and set runtime=docker)"));
    }

    private static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw PloyerException.notFound(field, String.valueOf(value).length() > 64 ? "(too long)" : String.valueOf(value));
        }
        return value;
    }

    @Override
    public List<ContainerInfo> list(boolean all) {
        // only what Ployer manages: other containers on the host are not Ployer's to show or touch
        return runtime().listContainers(Map.of(ContainerRuntime.LABEL_MANAGED, "true"), all);
    }

    @Override
    public ContainerInfo get(String containerId) {
        return runtime().inspectContainer(id("container", containerId))
                .filter(container -> "true".equals(container.labels().get(ContainerRuntime.LABEL_MANAGED)))
                .orElseThrow(() -> PloyerException.notFound("container", containerId));
    }

    @Override
    public ContainerInfo create(ContainerRequest request) {
        if (request == null) {
            throw PloyerException.invalid("body", "is required");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw PloyerException.invalid("name", "must match [a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
        }
        if (request.image() == null || !IMAGE.matcher(request.image()).matches()) {
            throw PloyerException.invalid("image", "must be an image reference present on this host");
        }
        request.environment().forEach((key, value) -> {
            if (!ENV_KEY.matcher(key).matches()) {
                throw PloyerException.invalid("environment", "keys must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (value == null || value.indexOf('\0') >= 0 || value.length() > 65_536) {
                throw PloyerException.invalid("environment." + key, "must be at most 64 KiB without NUL");
            }
        });
        if (request.port() != null && (request.port() < 1 || request.port() > 65535)) {
            throw PloyerException.invalid("port", "must be within 1..65535");
        }
        if (request.memoryBytes() != null && request.memoryBytes() < 6L * 1024 * 1024) {
            throw PloyerException.invalid("memory_bytes", "must be at least 6 MiB");
        }
        if (request.cpus() != null && (request.cpus() <= 0 || request.cpus() > 1024)) {
            throw PloyerException.invalid("cpus", "must be greater than 0 and at most 1024");
        }
        ContainerRuntime containerRuntime = runtime();
        if (!containerRuntime.imageExists(request.image())) {
            throw PloyerException.invalid("image", "is not present on this host (Ployer never pulls images)");
        }
        String id = containerRuntime.createContainer(new ContainerSpec(request.name(), request.image(), request.environment(),
                request.port() == null ? 0 : request.port(), Map.of(ContainerRuntime.LABEL_MANAGED, "true"),
                new ResourceLimits(request.memoryBytes(), request.cpus()),
                request.restartPolicy() == null ? RestartPolicy.NO : request.restartPolicy(), List.of(), null));
        containerRuntime.startContainer(id);
        return get(id);
    }

    @Override
    public void start(String containerId) {
        get(containerId);
        runtime().startContainer(containerId);
    }

    @Override
    public void stop(String containerId) {
        get(containerId);
        runtime().stopContainer(containerId, stopTimeout);
    }

    @Override
    public void restart(String containerId) {
        get(containerId);
        runtime().restartContainer(containerId, stopTimeout);
    }

    @Override
    public void remove(String containerId, boolean force) {
        get(containerId);
        runtime().removeContainer(containerId, force);
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        if (tail < 1 || tail > 10_000) {
            throw PloyerException.invalid("tail", "must be within 1..10000");
        }
        get(containerId);
        return runtime().logs(containerId, tail);
    }

    @Override
    public List<io.ployer.api.container.ClusterNode> nodes() {
        return clustered().nodes();
    }

    @Override
    public List<io.ployer.api.container.Replica> replicas(String containerId) {
        get(containerId);
        return clustered().replicas(containerId);
    }

    private ContainerRuntime clustered() {
        ContainerRuntime runtime = runtime();
        if (!runtime.capabilities().contains(io.ployer.spi.runtime.RuntimeCapability.SCALES)) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "this installation's container runtime runs on one"
                    + " machine: it has no cluster nodes and no replicas (the swarm runtime has both)");
        }
        return runtime;
    }

    @Override
    public ResourceSample stats(String containerId) {
        ContainerInfo container = get(containerId);
        if (!container.running()) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "container " + containerId + " is not running");
        }
        return runtime().stats(containerId);
    }

    @Override
    public AutoCloseable followLogs(String containerId, java.util.function.Consumer<String> lines) {
        get(containerId);
        return runtime().followLogs(containerId, lines);
    }

    @Override
    public List<NetworkInfo> networks() {
        return runtime().listNetworks();
    }

    @Override
    public NetworkInfo network(String idOrName) {
        id("network", idOrName);
        return networks().stream().filter(network -> network.id().startsWith(idOrName) || network.name().equals(idOrName))
                .findFirst().orElseThrow(() -> PloyerException.notFound("network", idOrName));
    }

    @Override
    public NetworkInfo createNetwork(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PloyerException.invalid("name", "must match [a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
        }
        return runtime().createNetwork(name, Map.of(ContainerRuntime.LABEL_MANAGED, "true"));
    }

    @Override
    public void removeNetwork(String idOrName) {
        runtime().removeNetwork(network(idOrName).id());
    }

    @Override
    public List<VolumeInfo> volumes() {
        return runtime().listVolumes();
    }

    @Override
    public VolumeInfo volume(String name) {
        id("volume", name);
        return volumes().stream().filter(volume -> volume.name().equals(name)).findFirst()
                .orElseThrow(() -> PloyerException.notFound("volume", name));
    }

    @Override
    public VolumeInfo createVolume(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PloyerException.invalid("name", "must match [a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
        }
        return runtime().createVolume(name, Map.of(ContainerRuntime.LABEL_MANAGED, "true"));
    }

    @Override
    public void removeVolume(String name) {
        runtime().removeVolume(volume(name).name());
    }
}
