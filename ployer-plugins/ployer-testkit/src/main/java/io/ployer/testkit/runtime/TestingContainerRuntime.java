package io.ployer.testkit.runtime;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.runtime.ImageInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.spi.runtime.RuntimeInfo;
import io.ployer.api.container.VolumeInfo;
import io.ployer.testkit.Hold;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory container runtime for fast tests of code that drives one (the engine's state machine):
 * containers and images are records in maps, a started container "answers" on a loopback endpoint
 * nobody listens on, and a test can make any operation wait ({@link #hold}) or fail once
 * ({@link #failNext}), crash a container or make the runtime unreachable. Thread-safe.
 */
public final class TestingContainerRuntime implements ContainerRuntime {

    /** The operations a test can hold or make fail. */
    public enum Operation {
        CREATE, START, STOP, REMOVE, INSPECT, REMOVE_IMAGE
    }

    private final Clock clock;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<String, ImageInfo> images = new LinkedHashMap<>();
    private final List<String> removedImages = new ArrayList<>();
    private final List<String> removedContainers = new ArrayList<>();
    private final Map<Operation, Hold> holds = new EnumMap<>(Operation.class);
    private final Map<Operation, Deque<RuntimeException>> failures = new EnumMap<>(Operation.class);
    private volatile boolean reachable = true;

    public TestingContainerRuntime(Clock clock) {
        this.clock = clock;
        for (Operation operation : Operation.values()) {
            holds.put(operation, new Hold());
            failures.put(operation, new ArrayDeque<>());
        }
    }

    /** The hold of an operation: {@code hold(START).hold()} makes the next starts wait until released. */
    public Hold hold(Operation operation) {
        return holds.get(operation);
    }

    /** Makes the next call of the operation throw {@code failure}. */
    public synchronized void failNext(Operation operation, RuntimeException failure) {
        failures.get(operation).add(failure);
    }

    /** Makes every call fail as an unreachable daemon would (false), or answer again (true). */
    public void reachable(boolean answers) {
        reachable = answers;
    }

    /** Adds an image as if it had been built or pulled. */
    public synchronized void addImage(String ref, Map<String, String> labels) {
        images.put(ref, new ImageInfo(ref, List.of(ref), labels, clock.instant(), 1));
    }

    /** The container exits with {@code exitCode} (it crashed). */
    public synchronized void crash(String containerId, int exitCode) {
        Container container = require(containerId);
        container.running = false;
        container.exitCode = exitCode;
    }

    /** The container stops as if someone ran {@code docker stop} behind Ployer's back. */
    public synchronized void stopBehindTheBack(String containerId) {
        Container container = require(containerId);
        container.running = false;
        container.exitCode = 0;
    }

    /** Every container, as {@link #inspectContainer} would show it. */
    public synchronized List<ContainerInfo> containers() {
        return containers.values().stream().map(Container::info).toList();
    }

    public synchronized List<String> imageRefs() {
        return List.copyOf(images.keySet());
    }

    public synchronized List<String> removedImages() {
        return List.copyOf(removedImages);
    }

    public synchronized List<String> removedContainers() {
        return List.copyOf(removedContainers);
    }

    @Override
    public RuntimeInfo ping() {
        answer();
        return new RuntimeInfo("testing", "1", "memory");
    }

    @Override
    public String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation) {
        answer();
        addImage(spec.tag(), spec.labels());
        return spec.tag();
    }

    @Override
    public synchronized boolean imageExists(String imageRef) {
        answer();
        return images.containsKey(imageRef);
    }

    @Override
    public synchronized List<ImageInfo> listImages(Map<String, String> labels) {
        answer();
        return images.values().stream().filter(image -> image.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public void removeImage(String imageRef) {
        enter(Operation.REMOVE_IMAGE);
        synchronized (this) {
            if (images.remove(imageRef) == null) {
                throw new PloyerException(StandardErrorCode.NOT_FOUND, "no such image: " + imageRef);
            }
            removedImages.add(imageRef);
        }
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        enter(Operation.CREATE);
        synchronized (this) {
            if (!images.containsKey(spec.image())) {
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "no such image: " + spec.image());
            }
            int number = ids.incrementAndGet();
            String id = String.format("%064x", number);
            containers.put(id, new Container(id, spec, 20000 + number));
            return id;
        }
    }

    @Override
    public void startContainer(String containerId) {
        enter(Operation.START);
        synchronized (this) {
            Container container = require(containerId);
            container.running = true;
            container.exitCode = null;
            container.startedAt = clock.instant();
        }
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        enter(Operation.STOP);
        synchronized (this) {
            Container container = require(containerId);
            container.running = false;
            container.exitCode = 0;
        }
    }

    @Override
    public void restartContainer(String containerId, Duration timeout) {
        stopContainer(containerId, timeout);
        startContainer(containerId);
    }

    @Override
    public void removeContainer(String containerId, boolean force) {
        enter(Operation.REMOVE);
        synchronized (this) {
            if (containers.remove(containerId) == null) {
                throw new PloyerException(StandardErrorCode.NOT_FOUND, "no such container: " + containerId);
            }
            removedContainers.add(containerId);
        }
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String containerId) {
        enter(Operation.INSPECT);
        synchronized (this) {
            return Optional.ofNullable(containers.get(containerId)).map(Container::info);
        }
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labels, boolean all) {
        answer();
        return containers.values().stream().map(Container::info)
                .filter(info -> all || info.running())
                .filter(info -> info.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    @Override
    public synchronized List<String> logs(String containerId, int tail) {
        answer();
        return List.of("testing container " + containerId.substring(0, 12) + " output");
    }

    @Override
    public ResourceSample stats(String containerId) {
        throw new UnsupportedOperationException("the testing runtime keeps no statistics");
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        return List.of();
    }

    @Override
    public NetworkInfo createNetwork(String name, Map<String, String> labels) {
        return new NetworkInfo(name, name, "bridge", labels);
    }

    @Override
    public void removeNetwork(String networkIdOrName) {
        // nothing kept
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        return List.of();
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        return new VolumeInfo(name, "local", "/memory/" + name, labels);
    }

    @Override
    public void removeVolume(String name) {
        // nothing kept
    }

    @Override
    public void close() {
        // nothing to release
    }

    private void enter(Operation operation) {
        answer();
        holds.get(operation).pass();
        RuntimeException failure;
        synchronized (this) {
            failure = failures.get(operation).poll();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void answer() {
        if (!reachable) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the testing runtime does not answer");
        }
    }

    private Container require(String containerId) {
        Container container = containers.get(containerId);
        if (container == null) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "no such container: " + containerId);
        }
        return container;
    }

    private final class Container {
        private final String id;
        private final ContainerSpec spec;
        private final int hostPort;
        private boolean running;
        private Integer exitCode;
        private java.time.Instant startedAt;

        Container(String id, ContainerSpec spec, int hostPort) {
            this.id = id;
            this.spec = spec;
            this.hostPort = hostPort;
        }

        ContainerInfo info() {
            return new ContainerInfo(id, spec.name(), spec.image(), running ? "running" : startedAt == null ? "created" : "exited",
                    running, exitCode, spec.labels(), running ? new Endpoint("127.0.0.1", hostPort) : null, startedAt, 0,
                    false, spec.limits(), spec.mounts());
        }
    }
}
