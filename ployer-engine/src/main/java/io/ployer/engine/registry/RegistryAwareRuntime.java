package io.ployer.engine.registry;

import io.ployer.spi.Cancellation;
import io.ployer.spi.runtime.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.runtime.ImageInfo;
import io.ployer.spi.runtime.NetworkInfo;
import io.ployer.spi.runtime.RegistryAuth;
import io.ployer.spi.runtime.ResourceSample;
import io.ployer.spi.runtime.RuntimeInfo;
import io.ployer.spi.runtime.VolumeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runtime the deployment pipeline (and so every build strategy) sees: a pull or push without
 * credentials of its own uses those of the configured registry the image reference names, if any;
 * otherwise the runtime's own (Docker's client config). Everything else goes straight through.
 */
public final class RegistryAwareRuntime implements ContainerRuntime {
    private final ContainerRuntime delegate;
    private final DefaultRegistryService registries;

    public RegistryAwareRuntime(ContainerRuntime delegate, DefaultRegistryService registries) {
        this.delegate = delegate;
        this.registries = registries;
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        pullImage(imageRef, null, log, cancellation);
    }

    @Override
    public void pullImage(String imageRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        RegistryAuth chosen = auth != null ? auth : registries.authFor(imageRef).orElse(null);
        if (chosen == null) {
            delegate.pullImage(imageRef, log, cancellation);
        } else {
            delegate.pullImage(imageRef, chosen, log, cancellation);
        }
    }

    @Override
    public String pushImage(String sourceRef, String targetRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        RegistryAuth chosen = auth != null ? auth : registries.authFor(targetRef).orElse(null);
        return delegate.pushImage(sourceRef, targetRef, chosen, log, cancellation);
    }

    @Override
    public Optional<String> imageDigest(String imageRef) {
        return delegate.imageDigest(imageRef);
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
    public List<ImageInfo> listImages(Map<String, String> labels) {
        return delegate.listImages(labels);
    }

    @Override
    public void removeImage(String imageRef) {
        delegate.removeImage(imageRef);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        return delegate.createContainer(spec);
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

    /** The engine closes the runtime itself; closing this view closes nothing. */
    @Override
    public void close() {
    }
}
