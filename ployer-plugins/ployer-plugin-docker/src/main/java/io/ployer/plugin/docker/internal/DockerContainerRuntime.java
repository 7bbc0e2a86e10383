package io.ployer.plugin.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
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
import io.ployer.api.container.Mount;
import io.ployer.api.container.VolumeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} over docker-java: images are built without pulling (prebuilt images are
 * pulled explicitly, with the registry credentials of Docker's client config), containers publish
 * their app port on a loopback address with a port Docker chooses, and every call maps Docker's
 * errors to Ployer's. The client connects lazily and closes in {@link #close()}.
 */
public final class DockerContainerRuntime implements ContainerRuntime {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DockerContainerRuntime.class);
    private final String host;
    private final String publishHost;
    private final Duration apiTimeout;
    private final Clock clock;
    private final String dockerConfig;
    private final boolean enginePicksPorts;
    private DockerClient client;
    private DefaultDockerClientConfig clientConfig;
    private boolean closed;
    /** The HTTP transport under the client, for the exec stream docker-java would ask to upgrade. */
    private DockerTransport transport;

    public DockerContainerRuntime(String host, String publishHost, Duration apiTimeout, Clock clock) {
        this(host, publishHost, apiTimeout, clock, null);
    }

    /**
     * @param dockerConfig directory of a Docker client {@code config.json} whose {@code auths} hold
     *                     registry credentials, or {@code null} for Docker's default
     *                     ({@code DOCKER_CONFIG} or {@code ~/.docker})
     */
    public DockerContainerRuntime(String host, String publishHost, Duration apiTimeout, Clock clock, String dockerConfig) {
        this(host, publishHost, apiTimeout, clock, dockerConfig, false);
    }

    /**
     * @param enginePicksPorts whether Docker picks the published host port (an engine on another machine,
     *                         where a port free here says nothing) rather than a port found free on this machine
     */
    public DockerContainerRuntime(String host, String publishHost, Duration apiTimeout, Clock clock, String dockerConfig,
                                  boolean enginePicksPorts) {
        this.enginePicksPorts = enginePicksPorts;
        this.host = host;
        this.publishHost = publishHost;
        this.apiTimeout = apiTimeout;
        this.clock = clock;
        this.dockerConfig = dockerConfig;
    }

    private synchronized DockerClient client() {
        if (closed) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "the Docker runtime is closed");
        }
        if (client == null) {
            DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host);
            if (dockerConfig != null) {
                builder.withDockerConfig(dockerConfig);
            }
            DefaultDockerClientConfig config = builder.build();
            clientConfig = config;
            javax.net.ssl.SSLContext tls = config.getSSLConfig() == null ? null : tlsContext(config);
            DockerTransport http = new DockerTransport(config.getDockerHost(), tls, 64, Duration.ofSeconds(10), apiTimeout);
            transport = http;
            client = DockerClientImpl.getInstance(config, http);
        }
        return client;
    }

    /** The TLS context of a tcp Docker host configured for TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
    private static javax.net.ssl.SSLContext tlsContext(DefaultDockerClientConfig config) {
        try {
            return config.getSSLConfig().getSSLContext();
        } catch (java.security.GeneralSecurityException e) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION, "the Docker TLS configuration is unusable: " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Set<io.ployer.spi.runtime.RuntimeCapability> capabilities() {
        // every capability but SCALES: one container is one container here
        return java.util.EnumSet.of(io.ployer.spi.runtime.RuntimeCapability.FOLLOWS_LOGS, io.ployer.spi.runtime.RuntimeCapability.VOLUMES,
                io.ployer.spi.runtime.RuntimeCapability.NETWORKS, io.ployer.spi.runtime.RuntimeCapability.PULLS,
                io.ployer.spi.runtime.RuntimeCapability.LIMITS, io.ployer.spi.runtime.RuntimeCapability.STACKS);
    }

    @Override
    public RuntimeInfo ping() {
        try {
            client().pingCmd().exec();
            return new RuntimeInfo("docker", client().versionCmd().exec().getVersion(), host);
        } catch (RuntimeException e) {
            throw failure("Docker does not answer at " + host, e);
        }
    }

    @Override
    public String buildImage(ImageBuildSpec spec, Consumer<String> log, Cancellation cancellation) {
        Path dockerfile = spec.contextDirectory().resolve(spec.dockerfile()).normalize();
        if (!Files.isRegularFile(dockerfile)) {
            throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "no Dockerfile at " + spec.dockerfile());
        }
        // The labels go into a copy of the Dockerfile right after its last FROM (one cached step; see
        // LabelledContext) rather than through the build API (one uncached step per label on every changed build).
        String labelled = labelledDockerfile(dockerfile, spec.labels());
        Path contextTar = null;
        java.io.InputStream contextStream = null;
        BuildImageCmd command;
        if (labelled == null) {
            command = client().buildImageCmd().withBaseDirectory(spec.contextDirectory().toFile()).withDockerfile(dockerfile.toFile())
                    .withLabels(spec.labels());
        } else {
            try {
                contextTar = LabelledContext.temporaryTar();
                try (java.io.InputStream scanned = new com.github.dockerjava.core.dockerfile.Dockerfile(dockerfile.toFile(),
                        spec.contextDirectory().toFile()).parse().buildDockerFolderTar();
                     java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(contextTar))) {
                    LabelledContext.write(scanned, labelled, out);
                }
                contextStream = new java.io.BufferedInputStream(Files.newInputStream(contextTar), 64 * 1024);
                command = client().buildImageCmd(contextStream).withDockerfilePath(LabelledContext.DOCKERFILE);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(contextTar);
                throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "cannot read the build context: " + e.getMessage(), e);
            }
        }
        command = command
                .withTags(java.util.Set.of(spec.tag()))
                .withPull(false)
                .withRemove(true)
                .withForcerm(true);
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
                    String error = errorOf(item);
                    failureText.append(error);
                    log.accept("ERROR: " + error);
                }
                super.onNext(item);
            }
        };
        cancellation.onCancel(() -> {
            try {
                callback.close();
            } catch (IOException e) {
                // Closing the stream is what stops the build; nothing else to do.
            }
        });
        try {
            command.exec(callback);
            return callback.awaitImageId();
        } catch (DockerClientException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the build was cancelled");
            }
            String reason = failureText.length() > 0 ? failureText.toString() : String.valueOf(e.getMessage());
            throw new PloyerException(StandardErrorCode.BUILD_FAILURE, reason);
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the build was cancelled");
            }
            throw failure("the build failed", e);
        } finally {
            if (contextStream != null) {
                try {
                    contextStream.close();
                } catch (IOException e) {
                    // read to its end or abandoned; the file goes next
                }
            }
            deleteQuietly(contextTar);
        }
    }

    /** The Dockerfile with the labels after its last FROM; null when there are no labels or no FROM to put them after. */
    private static String labelledDockerfile(Path dockerfile, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return null;
        }
        try {
            return LabelledContext.labelled(Files.readString(dockerfile), labels);
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.BUILD_FAILURE, "cannot read " + dockerfile.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file; the system's cleaner takes it
            }
        }
    }

    @Override
    public boolean imageExists(String imageRef) {
        try {
            client().inspectImageCmd(imageRef).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw failure("cannot inspect image " + imageRef, e);
        }
    }

    @Override
    public void pullImage(String imageRef, Consumer<String> log, Cancellation cancellation) {
        pullImage(imageRef, null, log, cancellation);
    }

    @Override
    public void pullImage(String imageRef, io.ployer.spi.runtime.RegistryAuth given, Consumer<String> log, Cancellation cancellation) {
        DockerClient docker = client();
        com.github.dockerjava.api.model.AuthConfig auth;
        if (given != null) {
            auth = authConfig(given);
        } else {
            synchronized (this) {
                auth = clientConfig.effectiveAuthConfig(imageRef);
            }
        }
        String repository = imageRef;
        String tag = null;
        int lastSlash = imageRef.lastIndexOf('/');
        int colon = imageRef.lastIndexOf(':');
        if (!imageRef.contains("@")) {
            if (colon > lastSlash) {
                repository = imageRef.substring(0, colon);
                tag = imageRef.substring(colon + 1);
            } else {
                tag = "latest"; // without a tag Docker would pull every tag of the repository
            }
        }
        com.github.dockerjava.api.command.PullImageCmd command = docker.pullImageCmd(repository);
        if (tag != null) {
            command.withTag(tag);
        }
        if (auth != null && (auth.getUsername() != null || auth.getIdentitytoken() != null || auth.getRegistrytoken() != null)) {
            command.withAuthConfig(auth);
            log.accept("Pulling " + imageRef + " with the credentials configured for " + PullFailures.registry(imageRef));
        } else {
            log.accept("Pulling " + imageRef);
        }
        StringBuilder failureText = new StringBuilder();
        ResultCallback.Adapter<com.github.dockerjava.api.model.PullResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.PullResponseItem item) {
                if (item.isErrorIndicated()) {
                    String error = errorOf(item);
                    failureText.append(error);
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    log.accept((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
                }
            }
        };
        cancellation.onCancel(() -> {
            try {
                callback.close();
            } catch (IOException e) {
                // closing the stream is what stops the pull
            }
        });
        try {
            command.exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "the pull of " + imageRef + " was interrupted");
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the pull of " + imageRef + " was cancelled");
            }
            LOG.info("pull of {} failed: {}", imageRef, e.getMessage());
            throw PullFailures.describe(imageRef, failureText.length() > 0 ? failureText.toString() : e.getMessage());
        }
        if (cancellation.isCancelled()) {
            throw new PloyerException(StandardErrorCode.CANCELLED, "the pull of " + imageRef + " was cancelled");
        }
        if (failureText.length() > 0) {
            LOG.info("pull of {} failed: {}", imageRef, failureText);
            throw PullFailures.describe(imageRef, failureText.toString());
        }
    }

    private static com.github.dockerjava.api.model.AuthConfig authConfig(io.ployer.spi.runtime.RegistryAuth given) {
        String address = given.registry().equals("docker.io") ? "https://index.docker.io/v1/" : given.registry();
        return new com.github.dockerjava.api.model.AuthConfig().withRegistryAddress(address)
                .withUsername(given.username()).withPassword(given.password());
    }

    @Override
    public Optional<String> imageDigest(String imageRef) {
        try {
            com.github.dockerjava.api.command.InspectImageResponse image = client().inspectImageCmd(imageRef).exec();
            List<String> digests = image.getRepoDigests();
            if (digests == null || digests.isEmpty()) {
                return Optional.empty();
            }
            String repository = repositoryOf(imageRef);
            for (String digest : digests) {
                int at = digest.indexOf('@');
                if (at > 0 && digest.substring(0, at).equals(repository)) {
                    return Optional.of(digest.substring(at + 1));
                }
            }
            return Optional.empty();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure("cannot inspect image " + imageRef, e);
        }
    }

    /** The repository part of a reference: without its tag and digest. */
    static String repositoryOf(String imageRef) {
        String reference = imageRef;
        int at = reference.indexOf('@');
        if (at > 0) {
            reference = reference.substring(0, at);
        }
        int colon = reference.lastIndexOf(':');
        if (colon > reference.lastIndexOf('/')) {
            reference = reference.substring(0, colon);
        }
        return reference;
    }

    @Override
    public String pushImage(String sourceRef, String targetRef, io.ployer.spi.runtime.RegistryAuth given, Consumer<String> log,
                            Cancellation cancellation) {
        DockerClient docker = client();
        String repository = repositoryOf(targetRef);
        String tag = targetRef.length() > repository.length() + 1 && targetRef.charAt(repository.length()) == ':'
                ? targetRef.substring(repository.length() + 1) : "latest";
        try {
            docker.tagImageCmd(sourceRef, repository, tag).withForce().exec();
        } catch (RuntimeException e) {
            throw failure("cannot tag " + sourceRef + " as " + targetRef, e);
        }
        com.github.dockerjava.api.model.AuthConfig auth;
        if (given != null) {
            auth = authConfig(given);
        } else {
            synchronized (this) {
                auth = clientConfig.effectiveAuthConfig(targetRef);
            }
        }
        com.github.dockerjava.api.command.PushImageCmd command = docker.pushImageCmd(repository).withTag(tag);
        if (auth != null && (auth.getUsername() != null || auth.getIdentitytoken() != null || auth.getRegistrytoken() != null)) {
            command.withAuthConfig(auth);
            log.accept("Pushing " + targetRef + " with the credentials configured for " + PullFailures.registry(targetRef));
        } else {
            log.accept("Pushing " + targetRef);
        }
        StringBuilder failureText = new StringBuilder();
        StringBuilder digest = new StringBuilder();
        ResultCallback.Adapter<com.github.dockerjava.api.model.PushResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    String error = errorOf(item);
                    failureText.append(error);
                } else if (item.getAux() != null && item.getAux().getDigest() != null) {
                    digest.setLength(0);
                    digest.append(item.getAux().getDigest());
                } else if (item.getStatus() != null && item.getProgressDetail() == null) {
                    log.accept((item.getId() == null ? "" : item.getId() + ": ") + item.getStatus());
                }
            }
        };
        cancellation.onCancel(() -> {
            try {
                callback.close();
            } catch (IOException e) {
                // closing the stream is what stops the push
            }
        });
        try {
            command.exec(callback).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "the push of " + targetRef + " was interrupted");
        } catch (RuntimeException e) {
            if (cancellation.isCancelled()) {
                throw new PloyerException(StandardErrorCode.CANCELLED, "the push of " + targetRef + " was cancelled");
            }
            failureText.append(e.getMessage());
        }
        if (cancellation.isCancelled()) {
            throw new PloyerException(StandardErrorCode.CANCELLED, "the push of " + targetRef + " was cancelled");
        }
        if (failureText.length() > 0) {
            LOG.info("push of {} failed: {}", targetRef, failureText);
            String lower = failureText.toString().toLowerCase(java.util.Locale.ROOT);
            String registry = PullFailures.registry(targetRef);
            String reason = lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("denied")
                    || lower.contains("no basic auth") ? "the registry " + registry + " refused access; check the credentials configured for it."
                    : lower.contains("connection refused") || lower.contains("dial tcp") || lower.contains("no such host")
                    ? "the registry " + registry + " could not be reached." : "the registry " + registry
                    + " refused it (the details are in the server log).";
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "The image " + targetRef + " could not be pushed: " + reason);
        }
        if (digest.length() == 0) {
            return imageDigest(targetRef).orElseThrow(() -> new PloyerException(StandardErrorCode.RUNTIME_FAILURE,
                    "The image " + targetRef + " was pushed but the registry named no digest."));
        }
        return digest.toString();
    }

    @Override
    public List<ImageInfo> listImages(Map<String, String> labels) {
        try {
            List<ImageInfo> result = new ArrayList<>();
            for (Image image : client().listImagesCmd().withLabelFilter(labels).exec()) {
                result.add(new ImageInfo(image.getId(), image.getRepoTags() == null ? List.of() : List.of(image.getRepoTags()),
                        image.getLabels(), image.getCreated() == null ? null : Instant.ofEpochSecond(image.getCreated()),
                        image.getSize() == null ? 0 : image.getSize()));
            }
            return result;
        } catch (RuntimeException e) {
            throw failure("cannot list images", e);
        }
    }

    @Override
    public void removeImage(String imageRef) {
        try {
            client().removeImageCmd(imageRef).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            throw failure("cannot remove image " + imageRef, e);
        }
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        HostConfig hostConfig = HostConfig.newHostConfig().withRestartPolicy(restartPolicy(spec.restartPolicy()));
        CreateContainerCmd command = client().createContainerCmd(spec.image()).withName(spec.name()).withLabels(spec.labels());
        if (spec.exposedPort() > 0) {
            ExposedPort exposed = ExposedPort.tcp(spec.exposedPort());
            Ports bindings = new Ports();
            // An explicit free host port: one Docker picked itself would change on every restart of the
            // container (by the health monitor or Docker's restart policy), leaving routes pointing nowhere.
            // On another machine's engine, Docker picks (the reconciler follows a port that moves on a restart).
            String host = spec.publishHost() == null ? publishHost : spec.publishHost();
            bindings.bind(exposed, enginePicksPorts ? Ports.Binding.bindIp(host)
                    : Ports.Binding.bindIpAndPort(host, freePort(host)));
            hostConfig.withPortBindings(bindings);
            command.withExposedPorts(exposed);
        }
        spec.limits().memory().ifPresent(memory -> hostConfig.withMemory(memory).withMemorySwap(memory));
        spec.limits().cpuLimit().ifPresent(cpus -> hostConfig.withNanoCPUs((long) (cpus * 1_000_000_000L)));
        spec.limits().memoryReservation().ifPresent(hostConfig::withMemoryReservation);
        spec.limits().pidsLimit().ifPresent(hostConfig::withPidsLimit);
        if (!spec.mounts().isEmpty()) {
            hostConfig.withMounts(spec.mounts().stream().map(mount -> new com.github.dockerjava.api.model.Mount()
                    .withType(mount.bind() ? MountType.BIND : MountType.VOLUME)
                    .withSource(mount.source()).withTarget(mount.target()).withReadOnly(mount.readOnly())).toList());
        }
        if (spec.network() != null) {
            hostConfig.withNetworkMode(spec.network());
        }
        // Environment goes through the API body, never a command line.
        List<String> environment = new ArrayList<>();
        spec.environment().forEach((key, value) -> environment.add(key + "=" + value));
        command.withEnv(environment).withHostConfig(hostConfig);
        if (!spec.command().isEmpty()) {
            command.withCmd(spec.command());
        }
        if (spec.entrypoint() != null) {
            // An empty list clears the image's entrypoint, as Compose's entrypoint: [] does.
            command.withEntrypoint(spec.entrypoint().isEmpty() ? List.of("") : spec.entrypoint());
        }
        try {
            return command.exec().getId();
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "image " + spec.image() + " is not present on this host");
        } catch (ConflictException e) {
            throw new PloyerException(StandardErrorCode.CONFLICT, "a container named " + spec.name() + " already exists");
        } catch (RuntimeException e) {
            throw failure("cannot create container " + spec.name(), e);
        }
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static com.github.dockerjava.api.model.RestartPolicy restartPolicy(RestartPolicy policy) {
        return switch (policy) {
            case NO -> com.github.dockerjava.api.model.RestartPolicy.noRestart();
            case ON_FAILURE -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(5);
            case UNLESS_STOPPED -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case ALWAYS -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
        };
    }

    @Override
    public void startContainer(String containerId) {
        try {
            client().startContainerCmd(containerId).exec();
        } catch (NotModifiedException e) {
            // already running
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
        } catch (RuntimeException e) {
            throw failure("cannot start container " + containerId, e);
        }
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        try {
            client().stopContainerCmd(containerId).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped or gone
        } catch (RuntimeException e) {
            throw failure("cannot stop container " + containerId, e);
        }
    }

    @Override
    public void restartContainer(String containerId, Duration timeout) {
        try {
            client().restartContainerCmd(containerId).withTimeout((int) Math.max(0, timeout.toSeconds())).exec();
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
        } catch (RuntimeException e) {
            throw failure("cannot restart container " + containerId, e);
        }
    }

    @Override
    public void removeContainer(String containerId, boolean force) {
        try {
            client().removeContainerCmd(containerId).withForce(force).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw failure("cannot remove container " + containerId, e);
            }
        } catch (RuntimeException e) {
            throw failure("cannot remove container " + containerId, e);
        }
    }

    @Override
    public Optional<ContainerInfo> inspectContainer(String containerId) {
        try {
            InspectContainerResponse response = client().inspectContainerCmd(containerId).exec();
            var state = response.getState();
            // A container the restart policy is bringing back counts as not running.
            boolean running = Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting());
            Integer exitCode = state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue();
            Instant startedAt = parseInstant(state.getStartedAt());
            return Optional.of(new ContainerInfo(response.getId(), trimName(response.getName()), response.getConfig().getImage(),
                    state.getStatus(), running, exitCode, response.getConfig().getLabels(),
                    running ? endpoint(response.getNetworkSettings().getPorts()) : null, startedAt,
                    response.getRestartCount() == null ? 0 : response.getRestartCount(), Boolean.TRUE.equals(state.getOOMKilled()),
                    limits(response.getHostConfig()), mounts(response)));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure("cannot inspect container " + containerId, e);
        }
    }

    private static ResourceLimits limits(HostConfig hostConfig) {
        if (hostConfig == null) {
            return ResourceLimits.NONE;
        }
        return new ResourceLimits(positive(hostConfig.getMemory()),
                hostConfig.getNanoCPUs() == null || hostConfig.getNanoCPUs() <= 0 ? null : hostConfig.getNanoCPUs() / 1_000_000_000d,
                positive(hostConfig.getMemoryReservation()), positive(hostConfig.getPidsLimit()));
    }

    private static Long positive(Long value) {
        return value == null || value <= 0 ? null : value;
    }

    private static List<Mount> mounts(InspectContainerResponse response) {
        if (response.getMounts() == null) {
            return List.of();
        }
        return response.getMounts().stream().filter(mount -> mount.getDestination() != null)
                .map(mount -> {
                    boolean bind = mount.getName() == null || mount.getName().isEmpty();
                    return new Mount(bind ? String.valueOf(mount.getSource()) : mount.getName(), mount.getDestination().getPath(), bind,
                            Boolean.FALSE.equals(mount.getRW()));
                }).toList();
    }

    private static Endpoint endpoint(Ports ports) {
        if (ports == null || ports.getBindings() == null) {
            return null;
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry : ports.getBindings().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            for (Ports.Binding binding : entry.getValue()) {
                if (binding.getHostPortSpec() != null && !binding.getHostPortSpec().isBlank()) {
                    String bindHost = binding.getHostIp() == null || binding.getHostIp().isBlank()
                            || binding.getHostIp().equals("0.0.0.0") ? "127.0.0.1" : binding.getHostIp();
                    return new Endpoint(bindHost, Integer.parseInt(binding.getHostPortSpec()));
                }
            }
        }
        return null;
    }

    private static Instant parseInstant(String value) {
        if (value == null || value.isBlank() || value.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String trimName(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    @Override
    public List<ContainerInfo> listContainers(Map<String, String> labels, boolean all) {
        try {
            List<ContainerInfo> result = new ArrayList<>();
            for (Container container : client().listContainersCmd().withShowAll(all).withLabelFilter(labels).exec()) {
                boolean running = "running".equals(container.getState());
                Endpoint endpoint = null;
                if (running && container.getPorts() != null) {
                    for (var port : container.getPorts()) {
                        if (port.getPublicPort() != null) {
                            String ip = port.getIp() == null || port.getIp().isBlank() || port.getIp().equals("0.0.0.0")
                                    ? "127.0.0.1" : port.getIp();
                            endpoint = new Endpoint(ip, port.getPublicPort());
                            break;
                        }
                    }
                }
                String name = container.getNames() == null || container.getNames().length == 0 ? container.getId()
                        : trimName(container.getNames()[0]);
                result.add(new ContainerInfo(container.getId(), name, container.getImage(), container.getState(), running,
                        null, container.getLabels(), endpoint, null, 0));
            }
            return result;
        } catch (RuntimeException e) {
            throw failure("cannot list containers", e);
        }
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        List<String> lines = new ArrayList<>();
        try {
            LineFrames frames = new LineFrames(lines::add);
            client().logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(tail)
                    .exec(frames).awaitCompletion(apiTimeout.toMillis(), TimeUnit.MILLISECONDS);
            frames.flush();
            return lines;
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while reading logs");
        } catch (RuntimeException e) {
            throw failure("cannot read the logs of " + containerId, e);
        }
    }

    @Override
    public Optional<AutoCloseable> watchEvents(Map<String, String> labels, Consumer<io.ployer.spi.runtime.RuntimeEvent> listener) {
        return Optional.of(new DockerEventWatch(this::client, labels, listener).start());
    }

    @Override
    public AutoCloseable followLogs(String containerId, Consumer<String> sink) {
        try {
            return client().logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true).withTail(0)
                    .exec(new LineFrames(sink));
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
        } catch (RuntimeException e) {
            throw failure("cannot follow the logs of " + containerId, e);
        }
    }

    /** Turns Docker's output frames into whole lines. */
    private static final class LineFrames extends ResultCallback.Adapter<Frame> {
        private final Consumer<String> lines;
        private final StringBuilder partial = new StringBuilder();

        LineFrames(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void onNext(Frame frame) {
            partial.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                lines.accept(partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        }

        void flush() {
            if (partial.length() > 0) {
                lines.accept(partial.toString());
                partial.setLength(0);
            }
        }
    }

    @Override
    public ResourceSample stats(String containerId) {
        CompletableFuture<Statistics> sample = new CompletableFuture<>();
        try {
            client().statsCmd(containerId).withNoStream(true).exec(new ResultCallback.Adapter<Statistics>() {
                @Override
                public void onNext(Statistics statistics) {
                    sample.complete(statistics);
                }

                @Override
                public void onError(Throwable throwable) {
                    sample.completeExceptionally(throwable);
                }
            });
            return toSample(sample.get(apiTimeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PloyerException(StandardErrorCode.CANCELLED, "interrupted while reading stats");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof NotFoundException) {
                throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
            }
            throw failure("cannot read the stats of " + containerId, cause instanceof RuntimeException runtime ? runtime
                    : new RuntimeException(cause));
        }
    }

    private ResourceSample toSample(Statistics statistics) {
        double cpuPercent = 0;
        var cpu = statistics.getCpuStats();
        var previous = statistics.getPreCpuStats();
        if (cpu != null && previous != null && cpu.getCpuUsage() != null && previous.getCpuUsage() != null
                && cpu.getSystemCpuUsage() != null && previous.getSystemCpuUsage() != null) {
            long cpuDelta = cpu.getCpuUsage().getTotalUsage() - previous.getCpuUsage().getTotalUsage();
            long systemDelta = cpu.getSystemCpuUsage() - previous.getSystemCpuUsage();
            long online = cpu.getOnlineCpus() != null ? cpu.getOnlineCpus()
                    : cpu.getCpuUsage().getPercpuUsage() == null ? 1 : cpu.getCpuUsage().getPercpuUsage().size();
            if (cpuDelta > 0 && systemDelta > 0) {
                cpuPercent = (double) cpuDelta / systemDelta * online * 100.0;
            }
        }
        long used = 0;
        long limit = 0;
        var memory = statistics.getMemoryStats();
        if (memory != null) {
            used = memory.getUsage() == null ? 0 : memory.getUsage();
            limit = memory.getLimit() == null ? 0 : memory.getLimit();
            if (memory.getStats() != null) {
                // Page cache is reclaimable: report what the app really holds, as `docker stats` does.
                Long inactiveFile = memory.getStats().getInactiveFile();
                Long cache = memory.getStats().getCache();
                long reclaimable = inactiveFile != null ? inactiveFile : cache != null ? cache : 0;
                used = Math.max(0, used - reclaimable);
            }
        }
        long received = 0;
        long sent = 0;
        Map<String, StatisticNetworksConfig> networks = statistics.getNetworks();
        if (networks != null) {
            for (StatisticNetworksConfig network : networks.values()) {
                received += network.getRxBytes() == null ? 0 : network.getRxBytes();
                sent += network.getTxBytes() == null ? 0 : network.getTxBytes();
            }
        }
        return new ResourceSample(cpuPercent, used, limit, received, sent, clock.instant());
    }

    @Override
    public List<NetworkInfo> listNetworks() {
        try {
            List<NetworkInfo> result = new ArrayList<>();
            for (Network network : client().listNetworksCmd().exec()) {
                result.add(new NetworkInfo(network.getId(), network.getName(), network.getDriver(), network.getLabels()));
            }
            return result;
        } catch (RuntimeException e) {
            throw failure("cannot list networks", e);
        }
    }

    @Override
    public NetworkInfo createNetwork(String name, Map<String, String> labels) {
        try {
            String id = client().createNetworkCmd().withName(name).withLabels(labels).withCheckDuplicate(true).exec().getId();
            return new NetworkInfo(id, name, "bridge", labels);
        } catch (ConflictException e) {
            throw new PloyerException(StandardErrorCode.CONFLICT, "a network named " + name + " already exists");
        } catch (RuntimeException e) {
            throw failure("cannot create network " + name, e);
        }
    }

    @Override
    public void removeNetwork(String networkIdOrName) {
        try {
            client().removeNetworkCmd(networkIdOrName).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            throw failure("cannot remove network " + networkIdOrName, e);
        }
    }

    @Override
    public List<VolumeInfo> listVolumes() {
        try {
            var response = client().listVolumesCmd().exec();
            List<VolumeInfo> result = new ArrayList<>();
            if (response.getVolumes() != null) {
                response.getVolumes().forEach(volume -> result.add(new VolumeInfo(volume.getName(), volume.getDriver(),
                        volume.getMountpoint(), volume.getLabels())));
            }
            return result;
        } catch (RuntimeException e) {
            throw failure("cannot list volumes", e);
        }
    }

    @Override
    public VolumeInfo createVolume(String name, Map<String, String> labels) {
        try {
            var response = client().createVolumeCmd().withName(name).withLabels(labels).exec();
            return new VolumeInfo(response.getName(), response.getDriver(), response.getMountpoint(), labels);
        } catch (RuntimeException e) {
            throw failure("cannot create volume " + name, e);
        }
    }

    @Override
    public void removeVolume(String name) {
        try {
            client().removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            throw failure("cannot remove volume " + name, e);
        }
    }

    @Override
    public io.ployer.spi.runtime.ExecResult exec(String containerId, List<String> command, Map<String, String> environment,
                                                 java.io.OutputStream stdout, Cancellation cancellation) {
        List<String> env = new ArrayList<>();
        environment.forEach((key, value) -> env.add(key + "=" + value));
        String execId;
        try {
            execId = client().execCreateCmd(containerId).withCmd(command.toArray(String[]::new)).withEnv(env)
                    .withAttachStdout(true).withAttachStderr(true).withAttachStdin(false).exec().getId();
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " does not exist");
        } catch (ConflictException e) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "container " + containerId + " is not running");
        } catch (RuntimeException e) {
            throw failure("cannot run a command in " + containerId, e);
        }
        ExecFrames frames = new ExecFrames(stdout);
        // Started with a plain POST: docker-java asks for a protocol upgrade (101), which the HTTP client
        // does not hand over; without it Docker answers 200 and streams the multiplexed output until the end.
        var start = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.POST)
                .path("/exec/" + execId + "/start").putHeader("Content-Type", "application/json")
                .bodyBytes("{\"Detach\":false,\"Tty\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
        client();
        try (var response = transport.execute(start)) {
            if (response.getStatusCode() != 200) {
                throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "cannot run a command in " + containerId
                        + ": Docker answered " + response.getStatusCode());
            }
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(response.getBody(), 64 * 1024));
            byte[] header = new byte[8];
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                if (cancellation.isCancelled()) {
                    throw new PloyerException(StandardErrorCode.CANCELLED, "the command in " + containerId + " was cancelled");
                }
                int first = in.read();
                if (first < 0) {
                    break;
                }
                header[0] = (byte) first;
                in.readFully(header, 1, 7);
                long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8) | (header[7] & 0xffL);
                com.github.dockerjava.api.model.StreamType type = header[0] == 2
                        ? com.github.dockerjava.api.model.StreamType.STDERR : com.github.dockerjava.api.model.StreamType.STDOUT;
                while (size > 0) {
                    int chunk = (int) Math.min(size, buffer.length);
                    in.readFully(buffer, 0, chunk);
                    frames.onNext(new Frame(type, java.util.Arrays.copyOf(buffer, chunk)));
                    size -= chunk;
                }
                if (frames.sinkFailure != null) {
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the output of the command in " + containerId
                    + " could not be read: " + e.getMessage(), e);
        }
        if (frames.sinkFailure != null) {
            throw new PloyerException(StandardErrorCode.RUNTIME_FAILURE, "the output of the command in " + containerId
                    + " could not be written: " + frames.sinkFailure.getMessage(), frames.sinkFailure);
        }
        Long exitCode = client().inspectExecCmd(execId).exec().getExitCodeLong();
        return new io.ployer.spi.runtime.ExecResult(exitCode == null ? -1 : exitCode.intValue(), frames.errorTail());
    }

    /** Writes a command's standard output to its sink as frames come; keeps the last 4 KiB of standard error. */
    private static final class ExecFrames extends ResultCallback.Adapter<Frame> {
        private static final int ERROR_TAIL = 4096;
        private final java.io.OutputStream stdout;
        private final StringBuilder stderr = new StringBuilder();
        private volatile IOException sinkFailure;

        ExecFrames(java.io.OutputStream stdout) {
            this.stdout = stdout;
        }

        @Override
        public void onNext(Frame frame) {
            if (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDERR) {
                synchronized (stderr) {
                    stderr.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                    if (stderr.length() > ERROR_TAIL) {
                        stderr.delete(0, stderr.length() - ERROR_TAIL);
                    }
                }
                return;
            }
            if (sinkFailure != null) {
                return;
            }
            try {
                stdout.write(frame.getPayload());
            } catch (IOException e) {
                sinkFailure = e;
            }
        }

        String errorTail() {
            synchronized (stderr) {
                return stderr.toString().strip();
            }
        }
    }

    @Override
    public void copyFileToContainer(String containerId, String directory, String fileName, java.io.InputStream content, long size) {
        try {
            client().copyArchiveToContainerCmd(containerId).withRemotePath(directory)
                    .withTarInputStream(new SingleFileTar(fileName, content, size)).exec();
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "container " + containerId + " or its directory "
                    + directory + " does not exist");
        } catch (RuntimeException e) {
            throw failure("cannot copy " + fileName + " into " + containerId, e);
        }
    }

    @Override
    public void connectNetwork(String networkIdOrName, String containerId, List<String> aliases) {
        try {
            client().connectToNetworkCmd().withNetworkId(networkIdOrName).withContainerId(containerId)
                    .withContainerNetwork(new com.github.dockerjava.api.model.ContainerNetwork().withAliases(aliases)).exec();
        } catch (NotFoundException e) {
            throw new PloyerException(StandardErrorCode.NOT_FOUND, "network " + networkIdOrName + " or container "
                    + containerId + " does not exist");
        } catch (RuntimeException e) {
            String detail = e.getMessage() == null ? "" : e.getMessage();
            if (detail.contains("already exists")) {
                return;
            }
            throw failure("cannot connect " + containerId + " to network " + networkIdOrName, e);
        }
    }

    @Override
    public void disconnectNetwork(String networkIdOrName, String containerId) {
        try {
            client().disconnectFromNetworkCmd().withNetworkId(networkIdOrName).withContainerId(containerId).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (RuntimeException e) {
            String detail = e.getMessage() == null ? "" : e.getMessage();
            if (detail.contains("is not connected")) {
                return;
            }
            throw failure("cannot disconnect " + containerId + " from network " + networkIdOrName, e);
        }
    }

    private static PloyerException failure(String what, RuntimeException e) {
        if (e instanceof PloyerException ployerException) {
            return ployerException;
        }
        String detail = e instanceof DockerException docker ? docker.getMessage() : e.getMessage();
        return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, what + ": " + readable(detail), e);
    }

    private static final java.util.regex.Pattern DOCKER_MESSAGE =
            java.util.regex.Pattern.compile("\\{[^{}]*\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"[^{}]*\\}");

    /**
     * Docker's answer in words: {@code Status 400: {"message":"..."}} becomes the message; a failure
     * without one (the socket went away) says the engine did not answer. Never a Java class name.
     */
    static String readable(String detail) {
        if (detail == null || detail.isBlank()) {
            return "the container engine did not answer";
        }
        String text = detail.replaceAll("\\bStatus \\d{3}:\\s*", "");
        java.util.regex.Matcher json = DOCKER_MESSAGE.matcher(text);
        if (json.find()) {
            text = json.group(1).replace("\\\"", "\"");
        }
        if (text.matches("(?s).*\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b.*|(?s)^[A-Z]\\w*(?:Exception|Error)\\b.*")) {
            return "the container engine did not answer";
        }
        return text.strip();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // nothing more to release
            }
        }
    }

    /**
     * The daemon's error for one progress item: its detail's message, else the plain error string
     * (docker-java deprecates it, but a daemon may send it alone).
     */
    @SuppressWarnings("deprecation")
    private static String errorOf(com.github.dockerjava.api.model.ResponseItem item) {
        return item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage() : item.getError();
    }
}
