package io.ployer.spi.runtime;

import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import io.ployer.spi.plugin.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds images and runs containers. Every container and image the engine makes carries the labels
 * it passes ({@link #LABEL_APP}, {@link #LABEL_DEPLOYMENT}) so reconciliation can find them.
 * Failures are {@link io.ployer.api.PloyerException}s with code RUNTIME_FAILURE (or BUILD_FAILURE,
 * NOT_FOUND, CANCELLED where they fit).
 */
public interface ContainerRuntime extends AutoCloseable {

    /** Label holding the application id. */
    String LABEL_APP = "io.ployer.app";
    /** Label holding the deployment id. */
    String LABEL_DEPLOYMENT = "io.ployer.deployment";
    /** Label marking anything Ployer manages. */
    String LABEL_MANAGED = "io.ployer.managed";
    /**
     * Label holding the id of the Ployer installation (its database) that made the object, so two
     * installations sharing one Docker host never reconcile away each other's containers.
     */
    String LABEL_INSTANCE = "io.ployer.instance";

    /**
     * What this runtime can do beyond building and running containers; none by default. The compatibility
     * kit tests each declared capability and checks that undeclared ones fail cleanly (see
     * {@link RuntimeCapability}).
     */
    default java.util.Set<RuntimeCapability> capabilities() {
        return java.util.Set.of();
    }

    /** Connects and checks that the runtime answers; describes it. Idempotent. */
    RuntimeInfo ping();

    /**
     * Builds an image, streaming each output line to {@code log} as it comes. Returns the image id.
     * Never pulls base images from a registry. A cancellation stops the build and fails with CANCELLED.
     */
    String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation);

    boolean imageExists(String imageRef);

    /**
     * Pulls an image from its registry, with the registry credentials the runtime is configured with
     * (if any), streaming progress lines to {@code log}. Fails with NOT_FOUND when the registry has no
     * such image and RUNTIME_FAILURE otherwise, the message a sentence naming the image; CANCELLED
     * when cancelled. A default so runtimes written before it still load.
     */
    default void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.CONFIGURATION,
                "this container runtime cannot pull images");
    }

    /**
     * Pulls like {@link #pullImage(String, Consumer, Cancellation)}, with these credentials instead of the
     * runtime's own ({@code auth} null: the runtime's own). A default so runtimes written before it still
     * load: they can pull only without credentials.
     */
    default void pullImage(String imageRef, RegistryAuth auth, Consumer<String> log, Cancellation cancellation) {
        if (auth != null) {
            throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.CONFIGURATION,
                    "this container runtime cannot pull with registry credentials");
        }
        pullImage(imageRef, log, cancellation);
    }

    /**
     * The registry digest ({@code sha256:…}) a pulled or pushed image reference resolved to, empty when
     * the image is absent or came from no registry.
     */
    default Optional<String> imageDigest(String imageRef) {
        return Optional.empty();
    }

    /**
     * Tags the local image {@code sourceRef} as {@code targetRef} and pushes it to its registry with
     * {@code auth} (null: the runtime's own credentials); returns the pushed digest ({@code sha256:…}).
     * Fails RUNTIME_FAILURE with a sentence naming the registry.
     */
    default String pushImage(String sourceRef, String targetRef, RegistryAuth auth, Consumer<String> log,
                             Cancellation cancellation) {
        throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.CONFIGURATION,
                "this container runtime cannot push images");
    }

    /** Images carrying all the given labels. */
    List<ImageInfo> listImages(Map<String, String> labels);

    /** Removes an image (tags and data); absent images are ignored. */
    void removeImage(String imageRef);

    /** Creates (does not start) a container; returns its id. */
    String createContainer(ContainerSpec spec);

    void startContainer(String containerId);

    /** Stops a container, killing it after {@code timeout}; stopped or absent containers are ignored. */
    void stopContainer(String containerId, Duration timeout);

    void restartContainer(String containerId, Duration timeout);

    /** Removes a container (force: even if running); absent containers are ignored. */
    void removeContainer(String containerId, boolean force);

    Optional<ContainerInfo> inspectContainer(String containerId);

    /** Containers carrying all the given labels ({@code all}: stopped ones too). */
    List<ContainerInfo> listContainers(Map<String, String> labels, boolean all);

    /** The last {@code tail} lines of the container's output. */
    List<String> logs(String containerId, int tail);

    /**
     * Follows a container's output from now on, handing each line to {@code lines}, until the
     * returned handle is closed. A default so runtimes written before it still load.
     */
    default AutoCloseable followLogs(String containerId, Consumer<String> lines) {
        throw new UnsupportedOperationException("this container runtime cannot follow logs");
    }

    /**
     * Reports what happens in the runtime as it happens: containers carrying all the given labels
     * dying or being removed, and the runtime's connection coming back after it broke (a restart of
     * the runtime; events in between may be lost, so a listener should look at everything again).
     * Events reach {@code listener} on a thread of the runtime's own, until the returned handle is
     * closed; the watch reconnects by itself. Empty when the runtime cannot watch (a default, so
     * runtimes written before it still load): callers then rely on polling alone.
     */
    default Optional<AutoCloseable> watchEvents(Map<String, String> labels, Consumer<RuntimeEvent> listener) {
        return Optional.empty();
    }

    /** One resource sample of a running container. */
    ResourceSample stats(String containerId);

    List<NetworkInfo> listNetworks();

    NetworkInfo createNetwork(String name, Map<String, String> labels);

    void removeNetwork(String networkIdOrName);

    List<VolumeInfo> listVolumes();

    VolumeInfo createVolume(String name, Map<String, String> labels);

    void removeVolume(String name);

    /**
     * Runs a command in a running container, streaming its standard output to {@code stdout} as it
     * comes (never held whole in memory) and returning its exit code with the tail of its standard
     * error. The environment is handed to the command only (never on a command line, never logged).
     * A cancellation stops waiting and fails with CANCELLED. A default so runtimes written before it
     * still load.
     */
    default ExecResult exec(String containerId, List<String> command, Map<String, String> environment,
                            java.io.OutputStream stdout, Cancellation cancellation) {
        throw new UnsupportedOperationException("this container runtime cannot run commands in containers");
    }

    /**
     * Copies one file into a container's {@code directory}, streaming {@code size} bytes of
     * {@code content}. A default so runtimes written before it still load.
     */
    default void copyFileToContainer(String containerId, String directory, String fileName, java.io.InputStream content,
                                     long size) {
        throw new UnsupportedOperationException("this container runtime cannot copy files into containers");
    }

    /**
     * Connects a container to a network (with {@code aliases} as its names there); an existing
     * connection is kept. A default so runtimes written before it still load.
     */
    default void connectNetwork(String networkIdOrName, String containerId, List<String> aliases) {
        throw new UnsupportedOperationException("this container runtime cannot connect containers to networks");
    }

    /** Disconnects a container from a network; an absent connection is ignored. */
    default void disconnectNetwork(String networkIdOrName, String containerId) {
        throw new UnsupportedOperationException("this container runtime cannot disconnect containers from networks");
    }

    /**
     * Runs {@code replicas} replicas of a container (a service of an orchestrator) from now on, without a new release:
     * the image, environment and everything else stay as they are. Only runtimes that declare
     * {@link RuntimeCapability#SCALES}; the default refuses (a default so runtimes written before it still load).
     */
    default void scale(String containerId, int replicas) {
        throw new UnsupportedOperationException("this container runtime cannot scale a container to several replicas");
    }

    /**
     * The machines of the orchestrator this runtime drives; only runtimes that declare {@link RuntimeCapability#SCALES}
     * (the default refuses).
     */
    default List<io.ployer.api.container.ClusterNode> nodes() {
        throw new UnsupportedOperationException("this container runtime runs on one machine and has no cluster nodes");
    }

    /**
     * The replicas of a container, current and past, newest first, with the node each runs on; only runtimes that
     * declare {@link RuntimeCapability#SCALES} (the default refuses).
     */
    default List<io.ployer.api.container.Replica> replicas(String containerId) {
        throw new UnsupportedOperationException("this container runtime runs each container once and has no replicas");
    }

    @Override
    void close();
}
