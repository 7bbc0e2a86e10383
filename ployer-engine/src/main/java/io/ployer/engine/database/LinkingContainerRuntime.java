package io.ployer.engine.database;

import io.ployer.spi.Cancellation;
import io.ployer.spi.runtime.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ExecResult;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.runtime.ImageInfo;
import io.ployer.spi.runtime.NetworkInfo;
import io.ployer.spi.runtime.ResourceSample;
import io.ployer.spi.runtime.RuntimeInfo;
import io.ployer.spi.runtime.VolumeInfo;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The runtime the deployment pipeline gets when databases are on: every container it creates for an
 * application gets the variables of the application's database links (the application's own
 * variables win) and is connected to the linked databases' networks before it starts. So a link
 * takes effect at the application's next deploy without the pipeline knowing about databases.
 */
public final class LinkingContainerRuntime implements ContainerRuntime {
    private final ContainerRuntime delegate;
    private final Function<String, DefaultDatabaseService.LinkedResources> links;

    LinkingContainerRuntime(ContainerRuntime delegate, Function<String, DefaultDatabaseService.LinkedResources> links) {
        this.delegate = delegate;
        this.links = links;
    }

    /** Wraps {@code runtime} so containers of applications linked through {@code databases} get their links. */
    public static ContainerRuntime linking(ContainerRuntime runtime, DefaultDatabaseService databases) {
        return new LinkingContainerRuntime(runtime, databases::linkedResources);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        String applicationId = spec.labels().get(LABEL_APP);
        if (applicationId == null || spec.labels().get(LABEL_DEPLOYMENT) == null) {
            return delegate.createContainer(spec);
        }
        DefaultDatabaseService.LinkedResources linked = links.apply(applicationId);
        if (linked.networks().isEmpty()) {
            return delegate.createContainer(spec);
        }
        Map<String, String> environment = new LinkedHashMap<>(linked.environment());
        environment.putAll(spec.environment());
        String containerId = delegate.createContainer(new ContainerSpec(spec.name(), spec.image(), environment, spec.exposedPort(),
                spec.labels(), spec.limits(), spec.restartPolicy(), spec.command(), spec.network(), spec.mounts()));
        try {
            for (String network : linked.networks()) {
                delegate.connectNetwork(network, containerId, List.of());
            }
        } catch (RuntimeException e) {
            delegate.removeContainer(containerId, true);
            throw e;
        }
        return containerId;
    }

    @Override
    public RuntimeInfo ping() {
        return delegate.ping();
    }

    @Override
    public String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation) {
        return delegate.buildImage(spec, log, cancellation);
    }

    @Override
    public boolean imageExists(String imageRef) {
        return delegate.imageExists(imageRef);
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        delegate.pullImage(imageRef, log, cancellation);
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        return delegate.listImages(labels);
    }

    @Override
    public void removeImage(String imageRef) {
        delegate.removeImage(imageRef);
    }

    @Override
    public void startContainer(String containerId) {
        delegate.startContainer(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        delegate.stopContainer(containerId, timeout);
    }

    @Override
    public void restartContainer(String containerId, Duration timeout) {
        delegate.restartContainer(containerId, timeout);
    }

    @Override
    public void removeContainer(String containerId, boolean force) {
        delegate.removeContainer(containerId, force);
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String containerId) {
        return delegate.inspectContainer(containerId);
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels, boolean all) {
        return delegate.listContainers(labels, all);
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        return delegate.logs(containerId, tail);
    }

    @Override
    public AutoCloseable followLogs(String containerId, Consumer<String> lines) {
        return delegate.followLogs(containerId, lines);
    }

    @Override
    public ResourceSample stats(String containerId) {
        return delegate.stats(containerId);
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return delegate.listNetworks();
    }

    @Override
    public NetworkInfo createNetwork(String name, Map<String, String> labels) {
        return delegate.createNetwork(name, labels);
    }

    @Override
    public void removeNetwork(String networkIdOrName) {
        delegate.removeNetwork(networkIdOrName);
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        return delegate.listVolumes();
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        return delegate.createVolume(name, labels);
    }

    @Override
    public void removeVolume(String name) {
        delegate.removeVolume(name);
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Map<String, String> environment, OutputStream stdout,
                           Cancellation cancellation) {
        return delegate.exec(containerId, command, environment, stdout, cancellation);
    }

    @Override
    public void copyFileToContainer(String containerId, String directory, String fileName, InputStream content, long size) {
        delegate.copyFileToContainer(containerId, directory, fileName, content, size);
    }

    @Override
    public void connectNetwork(String networkIdOrName, String containerId, List<String> aliases) {
        delegate.connectNetwork(networkIdOrName, containerId, aliases);
    }

    @Override
    public void disconnectNetwork(String networkIdOrName, String containerId) {
        delegate.disconnectNetwork(networkIdOrName, containerId);
    }

    /** The runtime's own close is the engine's to call (it opened it). */
    @Override
    public void close() {
    }
}
