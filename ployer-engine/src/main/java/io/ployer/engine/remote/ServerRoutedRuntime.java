package io.ployer.engine.remote;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.runtime.ImageInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.spi.runtime.RegistryAuth;
import io.ployer.api.container.ResourceSample;
import io.ployer.spi.runtime.RuntimeInfo;
import io.ployer.api.container.VolumeInfo;
import io.ployer.spi.storage.Storage;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local container runtime, and each remote server's behind it: every call goes to the engine
 * that holds what it names. Labels name an application (its server decides), a container id is
 * looked up where it was created or listed (and else by the deployment that runs it), an image
 * {@code ployer/<app>:<tag>} by its application; lists without an application span the local engine
 * and every reachable server. Networks and volumes not tied to a container are the local engine's.
 * A server that cannot be reached fails the call (never "not found"), so nothing concludes a
 * container is gone because its server is down.
 */
public final class ServerRoutedRuntime implements ContainerRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ServerRoutedRuntime.class);
    private static final String LOCAL = "";

    private final ContainerRuntime local;
    private final Storage storage;
    private final RemoteServers servers;
    /** Container id → server id ({@link #LOCAL} for this machine). */
    private final Map<String, String> containers;

    public ServerRoutedRuntime(ContainerRuntime local, Storage storage, RemoteServers servers) {
        this.local = local;
        this.storage = storage;
        this.servers = servers;
        this.containers = servers.containerServers;
    }

    private ContainerRuntime on(String serverId) {
        return serverId.equals(LOCAL) ? local : servers.runtime(serverId);
    }

    /** The server of the application a set of labels names, or empty when they name none. */
    private Optional<String> byLabels(Map<String, String> labels) {
        String applicationId = labels == null ? null : labels.get(LABEL_APP);
        return applicationId == null ? Optional.empty() : Optional.of(servers.serverOf(applicationId).orElse(LOCAL));
    }

    private String byImage(String imageRef) {
        if (imageRef != null && imageRef.startsWith("ployer/") && imageRef.indexOf(':') > 7) {
            String name = imageRef.substring(7, imageRef.indexOf(':'));
            return storage.applications().findByName(name).flatMap(servers::serverOf).orElse(LOCAL);
        }
        return LOCAL;
    }

    /**
     * Where a container is: where it was made or listed; else looked for first on the server of the
     * application whose deployment runs it (it may have moved since), then here, then on every
     * reachable server.
     */
    private String byContainer(String containerId) {
        String known = containers.get(containerId);
        if (known != null) {
            return known;
        }
        java.util.LinkedHashSet<String> candidates = new java.util.LinkedHashSet<>();
        for (Deployment deployment : storage.deployments().findByStatus(EnumSet.allOf(DeploymentStatus.class))) {
            if (containerId.equals(deployment.containerId())) {
                candidates.add(servers.serverOf(deployment.applicationId()).orElse(LOCAL));
                break;
            }
        }
        candidates.add(LOCAL);
        candidates.addAll(servers.inUse(true).keySet());
        for (String serverId : candidates) {
            if (on(serverId).inspectContainer(containerId).isPresent()) {
                containers.put(containerId, serverId);
                return serverId;
            }
        }
        return candidates.iterator().next();
    }

    private ContainerRuntime forContainer(String containerId) {
        return on(byContainer(containerId));
    }

    /** Every engine a list spans: this machine's and each reachable server's. */
    private Map<String, ContainerRuntime> everywhere() {
        Map<String, ContainerRuntime> all = new java.util.LinkedHashMap<>();
        all.put(LOCAL, local);
        servers.inUse(true).forEach((id, remote) -> all.put(id, remote.runtime));
        return all;
    }

    @Override
    public RuntimeInfo ping() {
        return local.ping();
    }

    @Override
    public String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation) {
        return on(byLabels(spec.labels()).orElse(LOCAL)).buildImage(spec, log, cancellation);
    }

    @Override
    public boolean imageExists(String imageRef) {
        return on(byImage(imageRef)).imageExists(imageRef);
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        on(byImage(imageRef)).pullImage(imageRef, log, cancellation);
    }

    @Override
    public void pullImage(String imageRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        on(byImage(imageRef)).pullImage(imageRef, auth, log, cancellation);
    }

    @Override
    public Optional<String> imageDigest(String imageRef) {
        return on(byImage(imageRef)).imageDigest(imageRef);
    }

    @Override
    public String pushImage(String sourceRef, String targetRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        return on(byImage(sourceRef)).pushImage(sourceRef, targetRef, auth, log, cancellation);
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        Optional<String> server = byLabels(labels);
        if (server.isPresent()) {
            return on(server.get()).listImages(labels);
        }
        List<ImageInfo> images = new ArrayList<>();
        everywhere().values().forEach(runtime -> images.addAll(runtime.listImages(labels)));
        return images;
    }

    @Override
    public void removeImage(String imageRef) {
        on(byImage(imageRef)).removeImage(imageRef);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        String serverId = byLabels(spec.labels()).orElse(LOCAL);
        String id = on(serverId).createContainer(spec);
        containers.put(id, serverId);
        return id;
    }

    @Override
    public void startContainer(String containerId) {
        forContainer(containerId).startContainer(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        forContainer(containerId).stopContainer(containerId, timeout);
    }

    @Override
    public void restartContainer(String containerId, Duration timeout) {
        forContainer(containerId).restartContainer(containerId, timeout);
    }

    @Override
    public void removeContainer(String containerId, boolean force) {
        forContainer(containerId).removeContainer(containerId, force);
        containers.remove(containerId);
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String containerId) {
        return forContainer(containerId).inspectContainer(containerId);
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels, boolean all) {
        Optional<String> server = byLabels(labels);
        if (server.isPresent()) {
            return remember(server.get(), on(server.get()).listContainers(labels, all));
        }
        List<ContainerInfo> found = new ArrayList<>();
        everywhere().forEach((serverId, runtime) -> {
            try {
                found.addAll(remember(serverId, runtime.listContainers(labels, all)));
            } catch (RuntimeException e) {
                if (serverId.equals(LOCAL)) {
                    throw e;
                }
                LOG.debug("containers of server {} not listed: {}", serverId, e.getMessage());
            }
        });
        return found;
    }

    private List<ContainerInfo> remember(String serverId, List<ContainerInfo> listed) {
        listed.forEach(container -> containers.put(container.id(), serverId));
        return listed;
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        return forContainer(containerId).logs(containerId, tail);
    }

    @Override
    public AutoCloseable followLogs(String containerId, Consumer<String> lines) {
        return forContainer(containerId).followLogs(containerId, lines);
    }

    @Override
    public ResourceSample stats(String containerId) {
        return forContainer(containerId).stats(containerId);
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return local.listNetworks();
    }

    @Override
    public NetworkInfo createNetwork(String name, Map<String, String> labels) {
        return on(byLabels(labels).orElse(LOCAL)).createNetwork(name, labels);
    }

    @Override
    public void removeNetwork(String networkIdOrName) {
        local.removeNetwork(networkIdOrName);
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        return local.listVolumes();
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        return on(byLabels(labels).orElse(LOCAL)).createVolume(name, labels);
    }

    @Override
    public void removeVolume(String name) {
        local.removeVolume(name);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Map<String, String> environment, OutputStream stdout,
                           Cancellation cancellation) {
        return forContainer(containerId).exec(containerId, command, environment, stdout, cancellation);
    }

    @Override
    public void copyFileToContainer(String containerId, String directory, String fileName, InputStream content, long size) {
        forContainer(containerId).copyFileToContainer(containerId, directory, fileName, content, size);
    }

    @Override
    public void connectNetwork(String networkIdOrName, String containerId, List<String> aliases) {
        forContainer(containerId).connectNetwork(networkIdOrName, containerId, aliases);
    }

    @Override
    public void disconnectNetwork(String networkIdOrName, String containerId) {
        forContainer(containerId).disconnectNetwork(networkIdOrName, containerId);
    }

    /** Closes the local runtime; the servers' runtimes close with {@link RemoteServers}. */
    @Override
    public void close() {
        local.close();
    }

}
