package io.ployer.engine.container;

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
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A runtime that hands every call to another, so that a decorator (registry credentials, database
 * links) overrides only what it changes. Every method is forwarded, the interface's defaults
 * included: a decorator in a chain must never answer with a default the runtime behind it
 * implements (a credentialed pull through a decorator that did not forward it used to fail as
 * "cannot pull with registry credentials"). {@link #close()} is not forwarded: the engine closes the
 * runtime it opened.
 */
public abstract class ForwardingContainerRuntime implements ContainerRuntime {
    protected final ContainerRuntime delegate;

    protected ForwardingContainerRuntime(ContainerRuntime delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public java.util.Set<io.ployer.spi.runtime.RuntimeCapability> capabilities() {
        return delegate.capabilities();
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
    public void pullImage(String imageRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        delegate.pullImage(imageRef, auth, log, cancellation);
    }

    @Override
    public Optional<String> imageDigest(String imageRef) {
        return delegate.imageDigest(imageRef);
    }

    @Override
    public String pushImage(String sourceRef, String targetRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        return delegate.pushImage(sourceRef, targetRef, auth, log, cancellation);
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
    public Optional<AutoCloseable> watchEvents(Map<String, String> labels, Consumer<io.ployer.spi.runtime.RuntimeEvent> listener) {
        return delegate.watchEvents(labels, listener);
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

    @Override
    public void scale(String containerId, int replicas) {
        delegate.scale(containerId, replicas);
    }

    @Override
    public List<io.ployer.api.container.ClusterNode> nodes() {
        return delegate.nodes();
    }

    @Override
    public List<io.ployer.api.container.Replica> replicas(String containerId) {
        return delegate.replicas(containerId);
    }

    /** The runtime's own close is the engine's to call (it opened it). */
    @Override
    public void close() {
    }
}
