package io.ployer.plugin.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.container.NetworkInfo;
import io.ployer.api.container.ResourceSample;
import io.ployer.api.container.VolumeInfo;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.spi.runtime.ImageInfo;
import io.ployer.spi.runtime.RuntimeCapability;
import io.ployer.spi.runtime.RuntimeInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@code swarm} container runtime: a Docker Engine that is a Swarm manager, where what Ployer calls a container is
 * a Swarm service with {@link #LABEL_REPLICAS} replicas (default: the runtime's {@code replicas}), its id the service
 * id. Images are built and kept on the manager (more than one node needs a registry every node pulls from). Besides
 * the runtime contract it offers the service operations Ployer's scale-out builds on: {@link #deploy} (create, or a
 * rolling update that starts new tasks first and rolls back by itself when they fail their health check),
 * {@link #scale}, {@link #tasks} and {@link #nodes}.
 */
// docker-java deprecates fields Docker still sends with no replacement (an error text, a task's exit code)
@SuppressWarnings("deprecation")
public final class SwarmRuntime implements ContainerRuntime {
    /** Label of a container spec: how many replicas its service runs. */
    public static final String LABEL_REPLICAS = "io.ployer.swarm.replicas";
    /** Label of a container spec: placement constraints, separated by {@code ;}. */
    public static final String LABEL_CONSTRAINTS = "io.ployer.swarm.constraints";

    private final String host;
    private final String publishHost;
    private final int defaultReplicas;
    private final Duration apiTimeout;
    private DockerClient client;
    private SwarmServices services;
    private ScheduledExecutorService poller;
    private boolean closed;

    public SwarmRuntime(String host, String publishHost, int defaultReplicas, Duration apiTimeout) {
        this.host = host;
        this.publishHost = publishHost;
        this.defaultReplicas = defaultReplicas;
        this.apiTimeout = apiTimeout;
    }

    private synchronized DockerClient client() {
        if (closed) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the Swarm runtime is closed");
        }
        if (client == null) {
            DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                    .maxConnections(32).connectionTimeout(Duration.ofSeconds(10)).responseTimeout(apiTimeout).build();
            client = DockerClientImpl.getInstance(config, http);
            services = new SwarmServices(client, publishHost);
        }
        return client;
    }

    private SwarmServices services() {
        client();
        return services;
    }

    private synchronized ScheduledExecutorService poller() {
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ployer-swarm-poll");
                thread.setDaemon(true);
                return thread;
            });
        }
        return poller;
    }

    /** Whether {@code condition} held within {@code timeout}, looking every 200 ms. */
    boolean await(BooleanSupplier condition, Duration timeout) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        ScheduledFuture<?> polling = poller().scheduleWithFixedDelay(() -> {
            try {
                if (condition.getAsBoolean()) {
                    done.complete(true);
                }
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while waiting for the swarm");
        } catch (ExecutionException e) {
            throw failure("the swarm did not answer", e.getCause());
        } finally {
            polling.cancel(false);
        }
    }

    private PloyerException failure(String what, Throwable cause) {
        return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, what + ": " + cause.getMessage(), cause);
    }

    @Override
    public Set<RuntimeCapability> capabilities() {
        return Set.of(RuntimeCapability.NETWORKS, RuntimeCapability.PULLS, RuntimeCapability.SCALES);
    }

    @Override
    public RuntimeInfo ping() {
        try {
            client().pingCmd().exec();
            var info = client().infoCmd().exec();
            if (info.getSwarm() == null || !Boolean.TRUE.equals(info.getSwarm().getControlAvailable())) {
                throw new PloyerException(StandardErrorCode.CONFIGURATION, "the Docker Engine at " + host
                        + " is not a Swarm manager: run docker swarm init (or join it as a manager) first");
            }
            return new RuntimeInfo("swarm", client().versionCmd().exec().getVersion(), host);
        } catch (PloyerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure("Docker does not answer at " + host, e);
        }
    }

    // ---- the service operations of scale-out ----

    /** Creates the service or rolls it over to the spec (new tasks first; back to the old spec when they fail); its id. */
    public String deploy(SwarmServiceSpec spec) {
        try {
            return services().deploy(spec, ServiceRestartCondition.ANY);
        } catch (RuntimeException e) {
            throw failure("cannot deploy the Swarm service " + spec.name(), e);
        }
    }

    /**
     * Changes how many replicas a service runs, without a new release; the count is remembered on the service
     * ({@link #LABEL_REPLICAS}), so a start after a stop and the next deployment of the same application run as many.
     */
    @Override
    public void scale(String service, int replicas) {
        scale(service, replicas, true);
    }

    private void scale(String service, int replicas, boolean remember) {
        if (replicas < 0) {
            throw new PloyerException(StandardErrorCode.INVALID_ARGUMENT, "replicas must be 0 or more");
        }
        try {
            services().scale(service, replicas, remember ? LABEL_REPLICAS : null);
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "there is no Swarm service " + service);
        } catch (RuntimeException e) {
            throw failure("cannot scale the Swarm service " + service, e);
        }
    }

    /** A service's tasks (replicas, current and past), newest first, with the node each runs on. */
    public List<SwarmTask> tasks(String service) {
        return services().tasks(service);
    }

    /** The nodes of the swarm with their state, labels and resources. */
    public List<SwarmNodeInfo> swarmNodes() {
        return services().nodes();
    }

    @Override
    public List<io.ployer.api.container.ClusterNode> nodes() {
        return swarmNodes().stream().map(node -> new io.ployer.api.container.ClusterNode(node.id(), node.hostname(), node.role(),
                node.state(), node.availability(), node.address(), node.labels(), node.nanoCpus(), node.memoryBytes())).toList();
    }

    @Override
    public List<io.ployer.api.container.Replica> replicas(String containerId) {
        return tasks(containerId).stream().map(task -> new io.ployer.api.container.Replica(task.id(), task.slot(), task.nodeId(),
                task.nodeHostname(), task.image(), task.desiredState(), task.state(), task.health(), task.endpoint(),
                task.message())).toList();
    }

    /** The state of the service's last update ({@code updating}, {@code completed}, {@code rollback_completed} …), or empty. */
    public Optional<String> updateState(String service) {
        return services().find(service).map(Service::getUpdateStatus).map(status -> status.getState())
                .map(ServiceUpdateState::name).map(name -> name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The image the service's spec runs now (after a rollback: the previous one). */
    public Optional<String> image(String service) {
        return services().find(service).map(found -> found.getSpec().getTaskTemplate().getContainerSpec().getImage());
    }

    /**
     * Waits until the service runs as many serving tasks as it wants, all on its current image, and no update is in
     * flight; whether it did within {@code timeout}.
     */
    public boolean awaitConverged(String service, Duration timeout) {
        return await(() -> converged(service), timeout);
    }

    private boolean converged(String service) {
        Optional<Service> found = services().find(service);
        if (found.isEmpty()) {
            return false;
        }
        String state = found.get().getUpdateStatus() == null || found.get().getUpdateStatus().getState() == null ? ""
                : found.get().getUpdateStatus().getState().name();
        if (state.equals("UPDATING") || state.equals("ROLLBACK_STARTED")) {
            return false;
        }
        String image = found.get().getSpec().getTaskTemplate().getContainerSpec().getImage();
        List<SwarmTask> serving = tasks(found.get().getId()).stream().filter(SwarmTask::serving).toList();
        return serving.size() == SwarmServices.replicas(found.get()) && serving.stream().allMatch(task -> task.image().equals(image));
    }

    // ---- images ----

    @Override
    public String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation) {
        java.nio.file.Path dockerfile = spec.contextDirectory().resolve(spec.dockerfile()).normalize();
        if (!java.nio.file.Files.isRegularFile(dockerfile)) {
            throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "no Dockerfile at " + spec.dockerfile());
        }
        BuildImageCmd command = client().buildImageCmd().withBaseDirectory(spec.contextDirectory().toFile())
                .withDockerfile(dockerfile.toFile()).withLabels(spec.labels()).withTags(Set.of(spec.tag()))
                .withPull(false).withRemove(true).withForcerm(true);
        spec.buildArgs().forEach(command::withBuildArg);
        StringBuilder failureText = new StringBuilder();
        BuildImageResultCallback callback = new BuildImageResultCallback() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    partial.append(item.getStream());
                    int newline;
                    while ((newline = partial.indexOf("\n")) >= 0) {
                        log.accept(partial.substring(0, newline));
                        partial.delete(0, newline + 1);
                    }
                }
                if (item.isErrorIndicated()) {
                    String error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage() : item.getError();
                    failureText.append(error);
                    log.accept("ERROR: " + error);
                }
                super.onNext(item);
            }
        };
        cancellation.onCancel(() -> closeQuietly(callback));
        try {
            command.exec(callback);
            return callback.awaitImageId();
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the build was cancelled");
            }
            if (e instanceof DockerClientException) {
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE,
                        failureText.length() > 0 ? failureText.toString() : String.valueOf(e.getMessage()));
            }
            throw failure("the build failed", e);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing the stream is what stops it; nothing else to do
        }
    }

    @Override
    public boolean imageExists(String imageRef) {
        try {
            client().inspectImageCmd(imageRef).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        PullImageResultCallback callback = new PullImageResultCallback() {
            @Override
            public void onNext(com.github.dockerjava.api.model.PullResponseItem item) {
                if (item.getStatus() != null) {
                    log.accept(item.getStatus());
                }
                super.onNext(item);
            }
        };
        cancellation.onCancel(() -> closeQuietly(callback));
        try {
            client().pullImageCmd(imageRef).exec(callback).awaitCompletion(apiTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "the registry has no image " + imageRef);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "the pull of " + imageRef + " was interrupted");
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the pull of " + imageRef + " was cancelled");
            }
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "cannot pull " + imageRef + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        List<ImageInfo> images = new ArrayList<>();
        for (Image image : client().listImagesCmd().withLabelFilter(labels).exec()) {
            images.add(new ImageInfo(image.getId(), image.getRepoTags() == null ? List.of() : List.of(image.getRepoTags()),
                    image.getLabels(), image.getCreated() == null ? null : Instant.ofEpochSecond(image.getCreated()),
                    image.getSize() == null ? 0 : image.getSize()));
        }
        return images;
    }

    @Override
    public void removeImage(String imageRef) {
        try {
            client().removeImageCmd(imageRef).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    // ---- containers: one service each ----

    @Override
    public String createContainer(ContainerSpec spec) {
        if (!spec.limits().equals(ResourceLimits.NONE)) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the Swarm runtime sets resource limits on services only"
                    + " (memory, CPUs and memory reservation of a SwarmServiceSpec), not through container specs");
        }
        if (!spec.mounts().isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "the Swarm runtime does not mount volumes: a volume lives on one node and a task may run on any");
        }
        int replicas = defaultReplicas;
        String wanted = spec.labels().get(LABEL_REPLICAS);
        if (wanted == null && spec.labels().containsKey(LABEL_APP)) {
            wanted = previousReplicas(spec.labels().get(LABEL_APP)).orElse(null);
        }
        if (wanted != null) {
            try {
                replicas = Integer.parseInt(wanted.strip());
            } catch (NumberFormatException e) {
                replicas = -1;
            }
            if (replicas < 0) {
                throw new PloyerException(StandardErrorCode.CONFIGURATION, "the label " + LABEL_REPLICAS
                        + " must be a whole number of replicas, 0 or more");
            }
        }
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(LABEL_REPLICAS, Integer.toString(replicas));
        List<String> constraints = spec.labels().containsKey(LABEL_CONSTRAINTS)
                ? List.of(spec.labels().get(LABEL_CONSTRAINTS).split(";")) : List.of();
        SwarmServiceSpec service = new SwarmServiceSpec(spec.name(), spec.image(), 0, spec.environment(), spec.exposedPort(),
                labels, null, constraints, spec.network(), spec.command(), null, null, null, null);
        ServiceRestartCondition restart = switch (spec.restartPolicy()) {
            case NO -> ServiceRestartCondition.NONE;
            case ON_FAILURE -> ServiceRestartCondition.ON_FAILURE;
            default -> ServiceRestartCondition.ANY;
        };
        try {
            return services().deploy(service, restart);
        } catch (RuntimeException e) {
            throw failure("cannot create the Swarm service " + spec.name(), e);
        }
    }

    /** The replicas the application's newest service was scaled to, so the next deployment runs as many. */
    private Optional<String> previousReplicas(String applicationId) {
        return client().listServicesCmd().withLabelFilter(Map.of(LABEL_APP, applicationId)).exec().stream()
                .filter(service -> service.getSpec().getLabels() != null && service.getSpec().getLabels().containsKey(LABEL_REPLICAS))
                .max(java.util.Comparator.comparing(service -> service.getCreatedAt() == null ? new java.util.Date(0) : service.getCreatedAt()))
                .map(service -> service.getSpec().getLabels().get(LABEL_REPLICAS));
    }

    @Override
    public void startContainer(String containerId) {
        Service service = services().find(containerId)
                .orElseThrow(() -> new PloyerException(StandardErrorCode.NOT_FOUND, "there is no Swarm service " + containerId));
        int replicas = Integer.parseInt(service.getSpec().getLabels().getOrDefault(LABEL_REPLICAS, "1"));
        scale(service.getId(), replicas, false);
        // started: every slot has a task that runs or has already ended (as a container start returns once it runs)
        boolean started = await(() -> tasks(service.getId()).stream()
                .filter(task -> task.state().equals("running") || task.state().equals("complete") || task.state().equals("failed"))
                .map(SwarmTask::slot).distinct().count() >= replicas, apiTimeout);
        if (!started) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the Swarm service " + service.getSpec().getName()
                    + " did not start its " + replicas + " tasks within " + apiTimeout.toSeconds() + " seconds");
        }
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        Optional<Service> service = services().find(containerId);
        if (service.isEmpty()) {
            return;
        }
        if (SwarmServices.replicas(service.get()) > 0) {
            scale(service.get().getId(), 0, false);
        }
        await(() -> tasks(service.get().getId()).stream().noneMatch(task -> task.state().equals("running")),
                timeout.plusSeconds(30));
    }

    @Override
    public void restartContainer(String containerId, Duration timeout) {
        stopContainer(containerId, timeout);
        startContainer(containerId);
    }

    @Override
    public void removeContainer(String containerId, boolean force) {
        try {
            client().removeServiceCmd(containerId).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String containerId) {
        return services().find(containerId).map(this::info);
    }

    private ContainerInfo info(Service service) {
        List<SwarmTask> tasks = tasks(service.getId());
        Optional<SwarmTask> serving = tasks.stream().filter(SwarmTask::serving).findFirst();
        Optional<SwarmTask> latest = tasks.stream().findFirst();
        boolean running = serving.isPresent();
        String state = running ? "running" : latest.map(SwarmTask::state).orElse("created");
        Integer exitCode = running ? null : latest.map(SwarmTask::exitCode).orElse(null);
        int restarts = Math.max(0, (int) tasks.stream().filter(task -> task.state().equals("failed")).count()
                - (running ? 0 : 1));
        return new ContainerInfo(service.getId(), service.getSpec().getName(),
                service.getSpec().getTaskTemplate().getContainerSpec().getImage(), state, running, exitCode,
                service.getSpec().getLabels(), serving.map(SwarmTask::endpoint).orElse(null),
                service.getCreatedAt() == null ? null : service.getCreatedAt().toInstant(), restarts);
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels, boolean all) {
        List<ContainerInfo> containers = new ArrayList<>();
        for (Service service : client().listServicesCmd().withLabelFilter(labels).exec()) {
            ContainerInfo info = info(service);
            if (all || info.running()) {
                containers.add(info);
            }
        }
        return containers;
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        List<String> lines = new CopyOnWriteArrayList<>();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
        };
        try {
            client().logServiceCmd(containerId).withStdout(true).withStderr(true).withTail(tail).exec(callback)
                    .awaitCompletion(apiTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "there is no Swarm service " + containerId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(lines);
    }

    @Override
    public ResourceSample stats(String containerId) {
        SwarmTask task = tasks(containerId).stream().filter(t -> t.serving() && t.containerId() != null).findFirst()
                .orElseThrow(() -> new PloyerException(StandardErrorCode.NOT_FOUND,
                        "the Swarm service " + containerId + " runs no task on this node"));
        CompletableFuture<Statistics> sample = new CompletableFuture<>();
        client().statsCmd(task.containerId()).withNoStream(true).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Statistics statistics) {
                sample.complete(statistics);
            }
        });
        try {
            Statistics statistics = sample.get(apiTimeout.toMillis(), TimeUnit.MILLISECONDS);
            long used = statistics.getMemoryStats() == null || statistics.getMemoryStats().getUsage() == null ? 0
                    : statistics.getMemoryStats().getUsage();
            long limit = statistics.getMemoryStats() == null || statistics.getMemoryStats().getLimit() == null ? 0
                    : statistics.getMemoryStats().getLimit();
            return new ResourceSample(0, used, limit, 0, 0, Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while sampling " + containerId);
        } catch (ExecutionException | TimeoutException e) {
            throw failure("cannot sample the Swarm service " + containerId, e);
        }
    }

    // ---- networks and volumes ----

    @Override
    public List<NetworkInfo> listNetworks() {
        return client().listNetworksCmd().exec().stream()
                .map(network -> new NetworkInfo(network.getId(), network.getName(), network.getDriver(), network.getLabels()))
                .toList();
    }

    /** An attachable overlay network, reachable from tasks on every node. */
    @Override
    public NetworkInfo createNetwork(String name, Map<String, String> labels) {
        String id = client().createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true).withLabels(labels)
                .exec().getId();
        return new NetworkInfo(id, name, "overlay", labels);
    }

    @Override
    public void removeNetwork(String networkIdOrName) {
        try {
            client().removeNetworkCmd(networkIdOrName).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        return List.of();
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        throw new UnsupportedOperationException("the Swarm runtime does not manage volumes: a volume lives on one node");
    }

    @Override
    public void removeVolume(String name) {
        throw new UnsupportedOperationException("the Swarm runtime does not manage volumes: a volume lives on one node");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
