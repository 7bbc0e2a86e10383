package io.ployer.testkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.ResourceLimits;
import io.ployer.api.application.RestartPolicy;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import io.ployer.api.container.Mount;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.api.container.ResourceSample;
import io.ployer.spi.runtime.RuntimeCapability;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ContainerRuntime} plugin must do, against the real engine. Extend it with the
 * runtime and a local base image that has {@code /bin/sh} and busybox's {@code httpd}. Everything
 * the kit makes carries a label unique to the test and is removed afterwards. The core tests run for
 * every runtime; each {@link RuntimeCapability} the runtime declares in
 * {@link ContainerRuntime#capabilities()} is tested, and each one it does not declare is checked to fail
 * cleanly (an {@link UnsupportedOperationException} or a CONFIGURATION {@link PloyerException}, with a
 * sentence).
 */
public abstract class ContainerRuntimeCompatibilityKit {
    @TempDir
    protected Path context;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> images = new ArrayList<>();
    private ContainerRuntime runtime;

    /** A fresh runtime. */
    protected abstract ContainerRuntime createRuntime();

    /** A local image with {@code /bin/sh}, {@code httpd}, {@code wget} and {@code sleep}. */
    protected abstract String baseImage();

    /**
     * {@code host:port} of a registry without credentials the runtime can push to and pull from (see
     * {@link LocalRegistry}), or {@code null} to skip the pull test (a runtime that cannot pull).
     */
    protected String registry() {
        return null;
    }

    @BeforeEach
    void open() {
        runtime = createRuntime();
        runtime.ping();
    }

    @AfterEach
    void cleanUp() {
        for (ContainerInfo container : runtime.listContainers(labels(), true)) {
            runtime.removeContainer(container.id(), true);
        }
        images.forEach(runtime::removeImage);
        runtime.close();
    }

    private boolean declares(RuntimeCapability capability) {
        return runtime.capabilities().contains(capability);
    }

    private void requires(RuntimeCapability capability) {
        assumeThat(declares(capability)).as("the runtime declares " + capability).isTrue();
    }

    private void lacks(RuntimeCapability capability) {
        assumeThat(declares(capability)).as("the runtime does not declare " + capability).isFalse();
    }

    private static void assertCleanRefusal(Throwable thrown) {
        assertThat(thrown).isInstanceOfAny(UnsupportedOperationException.class, PloyerException.class);
        if (thrown instanceof PloyerException ployer) {
            assertThat(ployer.code()).isEqualTo(StandardErrorCode.CONFIGURATION);
        }
        assertThat(thrown.getMessage()).isNotBlank();
    }

    protected Map<String, String> labels() {
        return Map.of(ContainerRuntime.LABEL_MANAGED, "true", "io.ployer.testkit", run);
    }

    private String tag(String name) {
        String tag = "ployer-kit/" + name + ":" + run;
        images.add(tag);
        return tag;
    }

    private String build(String name, String dockerfile, Map<String, String> buildArgs, List<String> log) throws IOException {
        Path directory = Files.createDirectories(context.resolve(name));
        Files.writeString(directory.resolve("Dockerfile"), dockerfile);
        Files.writeString(directory.resolve("index.html"), "hello from " + name);
        String tag = tag(name);
        runtime.buildImage(new ImageBuildSpec(directory, "Dockerfile", tag, buildArgs, labels()), log::add, Cancellation.NONE);
        return tag;
    }

    private String httpImage(String name) throws IOException {
        return build(name, "FROM " + baseImage() + "\nCOPY index.html /www/index.html\n"
                + "CMD [\"sh\", \"-c\", \"echo \\\"greeting=$GREETING\\\" > /www/env.txt; echo started; exec httpd -f -p 8080 -h /www\"]\n",
                Map.of(), new ArrayList<>());
    }

    private String runHttp(String image, Map<String, String> environment, ResourceLimits limits) {
        String id = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-" + UUID.randomUUID().toString().substring(0, 6),
                image, environment, 8080, labels(), limits, RestartPolicy.NO, List.of(), null));
        runtime.startContainer(id);
        return id;
    }

    private static String fetch(Endpoint endpoint, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing answered at " + endpoint.address() + path);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void buildsAnImageStreamingItsLogWithBuildArgumentsAndLabels() throws IOException {
        List<String> log = new CopyOnWriteArrayList<>();
        String tag = build("args", "FROM " + baseImage() + "\nARG FLAVOUR\nRUN echo \"flavour is $FLAVOUR\"\n",
                Map.of("FLAVOUR", "vanilla"), log);
        assertThat(runtime.imageExists(tag)).isTrue();
        assertThat(log).isNotEmpty();
        assertThat(String.join("\n", log)).contains("flavour is vanilla");
        assertThat(runtime.listImages(labels())).anySatisfy(image -> assertThat(image.tags()).contains(tag));
    }

    @Test
    void aFailingBuildIsABuildFailure() {
        assertThatThrownBy(() -> build("broken", "FROM " + baseImage() + "\nRUN false\n", Map.of(), new ArrayList<>()))
                .isInstanceOfSatisfying(PloyerException.class, error -> assertThat(error.code()).isEqualTo(StandardErrorCode.BUILD_FAILURE));
    }

    @Test
    void aCancelledBuildStopsPromptly() throws Exception {
        Path directory = Files.createDirectories(context.resolve("slow"));
        Files.writeString(directory.resolve("Dockerfile"), "FROM " + baseImage() + "\nRUN echo building && sleep 60\n");
        List<String> log = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch building = new java.util.concurrent.CountDownLatch(1);
        TestingCancellation cancellation = new TestingCancellation();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                runtime.buildImage(new ImageBuildSpec(directory, "Dockerfile", tag("slow"), Map.of(), labels()), line -> {
                    log.add(line);
                    if (line.contains("building")) {
                        building.countDown();
                    }
                }, cancellation);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        building.await(30, TimeUnit.SECONDS);
        long cancelledAt = System.nanoTime();
        cancellation.cancel();
        Throwable failure = outcome.get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(15));
        assertThat(failure).isInstanceOfSatisfying(PloyerException.class,
                error -> assertThat(error.code()).isEqualTo(StandardErrorCode.CANCELLED));
    }

    @Test
    void runsAContainerReachableOnlyThroughItsLoopbackEndpoint() throws Exception {
        String id = runHttp(httpImage("web"), Map.of("GREETING", "bonjour"), ResourceLimits.NONE);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        assertThat(info.running()).isTrue();
        Endpoint endpoint = info.publishedEndpoint().orElseThrow();
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        assertThat(fetch(endpoint, "/index.html")).isEqualTo("hello from web");
        assertThat(fetch(endpoint, "/env.txt").strip()).isEqualTo("greeting=bonjour");
        assertThat(info.labels()).containsAllEntriesOf(labels());
        assertThat(runtime.listContainers(labels(), false)).extracting(ContainerInfo::id).contains(id);
        assertThat(runtime.logs(id, 10)).contains("started");
    }

    @Test
    void samplesResourcesWithinTheMemoryLimit() throws Exception {
        requires(RuntimeCapability.LIMITS);
        long limit = 64L * 1024 * 1024;
        String id = runHttp(httpImage("stats"), Map.of(), new ResourceLimits(limit, 0.5));
        fetch(runtime.inspectContainer(id).orElseThrow().publishedEndpoint().orElseThrow(), "/index.html");
        ResourceSample sample = runtime.stats(id);
        assertThat(sample.cpuPercent()).isGreaterThanOrEqualTo(0);
        assertThat(sample.memoryUsedBytes()).isPositive().isLessThanOrEqualTo(limit);
        assertThat(sample.memoryLimitBytes()).isEqualTo(limit);
    }

    @Test
    void stopAndRemoveAreIdempotent() throws Exception {
        String id = runHttp(httpImage("stop"), Map.of(), ResourceLimits.NONE);
        runtime.stopContainer(id, Duration.ofSeconds(1));
        runtime.stopContainer(id, Duration.ofSeconds(1));
        assertThat(runtime.inspectContainer(id).orElseThrow().running()).isFalse();
        runtime.removeContainer(id, true);
        runtime.removeContainer(id, true);
        assertThat(runtime.inspectContainer(id)).isEmpty();
        runtime.removeContainer("ployer-kit-never-existed-" + run, true);
        runtime.removeImage("ployer-kit/never-existed:" + run);
    }

    @Test
    void reportsAContainerThatExitedWithItsCode() throws Exception {
        String image = build("exits", "FROM " + baseImage() + "\nCMD [\"sh\", \"-c\", \"echo bye; exit 3\"]\n", Map.of(), new ArrayList<>());
        String id = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-exit", image, Map.of(), 0, labels(), null,
                RestartPolicy.NO, List.of(), null));
        runtime.startContainer(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        while (info.running() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            info = runtime.inspectContainer(id).orElseThrow();
        }
        assertThat(info.running()).isFalse();
        assertThat(info.exitCode()).isEqualTo(3);
        assertThat(runtime.logs(id, 5)).contains("bye");
    }

    /**
     * Following the logs of a container that never stops writing: lines arrive while it runs, and
     * closing the subscription returns promptly and ends the stream (a transport that read the
     * endless stream to its end on close would hang here). A runtime that cannot follow logs must
     * say so with UnsupportedOperationException.
     */
    @Test
    void followedLogsArriveLiveAndClosingStopsThemPromptly() throws Exception {
        requires(RuntimeCapability.FOLLOWS_LOGS);
        String image = build("chatty", "FROM " + baseImage()
                + "\nCMD [\"sh\", \"-c\", \"i=0; while true; do i=$((i+1)); echo line-$i; sleep 0.1; done\"]\n", Map.of(), new ArrayList<>());
        String id = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-chatty", image, Map.of(), 0, labels(), null,
                RestartPolicy.NO, List.of(), null));
        runtime.startContainer(id);
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch threeLines = new java.util.concurrent.CountDownLatch(3);
        AutoCloseable subscription = runtime.followLogs(id, line -> {
            lines.add(line);
            threeLines.countDown();
        });
        threeLines.await(20, TimeUnit.SECONDS);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines.get(0)).contains("line-");
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                subscription.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        closed.get(10, TimeUnit.SECONDS);
        Thread.sleep(500); // let anything still in flight land
        int afterClose = lines.size();
        Thread.sleep(1000); // the container writes ten lines a second
        assertThat(lines).hasSize(afterClose);
    }

    @Test
    void managesNetworks() {
        requires(RuntimeCapability.NETWORKS);
        String name = "ployer-kit-" + run;
        runtime.createNetwork(name, labels());
        try {
            assertThat(runtime.listNetworks()).anySatisfy(network -> assertThat(network.name()).isEqualTo(name));
        } finally {
            runtime.removeNetwork(name);
        }
        assertThat(runtime.listNetworks()).noneSatisfy(network -> assertThat(network.name()).isEqualTo(name));
        runtime.removeNetwork(name);
    }

    @Test
    void managesVolumes() {
        requires(RuntimeCapability.VOLUMES);
        String name = "ployer-kit-" + run;
        runtime.createVolume(name, labels());
        try {
            assertThat(runtime.listVolumes()).anySatisfy(volume -> assertThat(volume.name()).isEqualTo(name));
        } finally {
            runtime.removeVolume(name);
        }
        assertThat(runtime.listVolumes()).noneSatisfy(volume -> assertThat(volume.name()).isEqualTo(name));
    }

    private ContainerInfo runToExit(String suffix, List<String> command, ResourceLimits limits, List<Mount> mounts)
            throws InterruptedException {
        String id = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-" + suffix, baseImage(), Map.of(), 0,
                labels(), limits, RestartPolicy.NO, command, null, mounts));
        runtime.startContainer(id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        while (info.running() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            info = runtime.inspectContainer(id).orElseThrow();
        }
        assertThat(info.running()).as("container %s exited", suffix).isFalse();
        return info;
    }

    /** Every limit of a container spec is applied and reported back by inspect. */
    @Test
    void appliesEveryResourceLimitAndReportsIt() throws Exception {
        requires(RuntimeCapability.LIMITS);
        ResourceLimits limits = new ResourceLimits(64L * 1024 * 1024, 0.5, 32L * 1024 * 1024, 64L);
        String id = runHttp(httpImage("limits"), Map.of(), limits);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        assertThat(info.limits()).isEqualTo(limits);
        assertThat(runtime.inspectContainer(runHttp(httpImage("nolimits"), Map.of(), ResourceLimits.NONE)).orElseThrow().limits())
                .isEqualTo(ResourceLimits.NONE);
    }

    /** A container that allocates past its hard memory limit is reported OOM-killed; a plain exit is not. */
    @Test
    void reportsAContainerKilledAtItsMemoryLimit() throws Exception {
        requires(RuntimeCapability.LIMITS);
        ContainerInfo killed = runToExit("oom", List.of("sh", "-c", "head -c 64m /dev/zero | tail"),
                new ResourceLimits(16L * 1024 * 1024, null), List.of());
        assertThat(killed.oomKilled()).isTrue();
        ContainerInfo plain = runToExit("plain", List.of("sh", "-c", "exit 3"), new ResourceLimits(16L * 1024 * 1024, null), List.of());
        assertThat(plain.oomKilled()).isFalse();
        assertThat(plain.exitCode()).isEqualTo(3);
    }

    /** A pull from a registry that does not answer fails with a sentence naming the image, never hangs. */
    @Test
    void aPullFromAnUnreachableRegistryFailsNamingTheImage() {
        requires(RuntimeCapability.PULLS);
        String image = "127.0.0.1:" + io.ployer.testkit.FreePorts.next() + "/ployer-kit/absent:" + run;
        assertThatThrownBy(() -> runtime.pullImage(image, line -> { }, Cancellation.NONE))
                .isInstanceOfSatisfying(PloyerException.class, e -> {
                    assertThat(e.code()).isIn(StandardErrorCode.NOT_FOUND, StandardErrorCode.RUNTIME_FAILURE);
                    assertThat(e.getMessage()).contains("ployer-kit/absent");
                });
    }

    @Test
    void withoutFollowingLogsFollowLogsIsRefusedCleanly() {
        lacks(RuntimeCapability.FOLLOWS_LOGS);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.followLogs("absent", line -> { })));
    }

    @Test
    void withoutVolumesCreatingOneIsRefusedCleanly() {
        lacks(RuntimeCapability.VOLUMES);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(
                () -> runtime.createVolume("ployer-kit-" + run + "-refused", labels())));
    }

    @Test
    void withoutNetworksCreatingOneIsRefusedCleanly() {
        lacks(RuntimeCapability.NETWORKS);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(
                () -> runtime.createNetwork("ployer-kit-" + run + "-refused", labels())));
    }

    @Test
    void withoutStacksACommandInAContainerIsRefusedCleanly() {
        lacks(RuntimeCapability.STACKS);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(
                () -> runtime.exec("ployer-kit-" + run + "-none", List.of("true"), Map.of(), new java.io.ByteArrayOutputStream(),
                        Cancellation.NONE)));
    }

    @Test
    void withoutPullsAPullIsRefusedCleanly() {
        lacks(RuntimeCapability.PULLS);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(
                () -> runtime.pullImage(baseImage(), line -> { }, Cancellation.NONE)));
    }

    @Test
    void withoutLimitsAContainerWithLimitsIsRefusedCleanly() {
        lacks(RuntimeCapability.LIMITS);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.createContainer(new ContainerSpec(
                "ployer-kit-" + run + "-limits", baseImage(), Map.of(), 0, labels(), new ResourceLimits(64L * 1024 * 1024, 0.5),
                RestartPolicy.NO, List.of("sleep", "1"), null))));
        assertThat(runtime.listContainers(labels(), true)).isEmpty();
    }

    /** A container scaled to two replicas still answers on its endpoint, runs two, and back to one. */
    @Test
    void scalesAContainerWithoutANewRelease() throws Exception {
        requires(RuntimeCapability.SCALES);
        String id = runHttp(httpImage("scaled"), Map.of("GREETING", "scaled"), ResourceLimits.NONE);
        runtime.scale(id, 2);
        runtime.scale(id, 1);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        assertThat(info.running()).isTrue();
        assertThat(info.image()).contains("ployer-kit/scaled");
        assertThat(fetch(info.publishedEndpoint().orElseThrow(), "/env.txt").strip()).isEqualTo("greeting=scaled");
    }

    @Test
    void withoutScalingAScaleIsRefusedCleanly() {
        lacks(RuntimeCapability.SCALES);
        assertCleanRefusal(org.assertj.core.api.Assertions.catchThrowable(() -> runtime.scale("absent", 2)));
    }

    @Test
    void pingAndCloseAreIdempotent() {
        ContainerRuntime fresh = createRuntime();
        fresh.ping();
        fresh.ping();
        fresh.close();
        fresh.close();
    }

    /** Data written to a named volume by one container is read by the next; a read-only mount refuses writes. */
    @Test
    void aNamedVolumeKeepsItsDataAcrossContainers() throws Exception {
        requires(RuntimeCapability.VOLUMES);
        String volume = "ployer-kit-" + run + "-data";
        runtime.createVolume(volume, labels());
        try {
            ContainerInfo writer = runToExit("write", List.of("sh", "-c", "echo first >> /data/x"), null,
                    List.of(new Mount(volume, "/data", false, false)));
            assertThat(writer.exitCode()).isZero();
            assertThat(writer.mounts()).contains(new Mount(volume, "/data", false, false));
            ContainerInfo reader = runToExit("read", List.of("sh", "-c", "cat /data/x; echo second >> /data/x"), null,
                    List.of(new Mount(volume, "/data", false, false)));
            assertThat(reader.exitCode()).isZero();
            assertThat(runtime.logs(reader.id(), 5)).contains("first");
            ContainerInfo readOnly = runToExit("readonly", List.of("sh", "-c", "cat /data/x; echo third >> /data/x"), null,
                    List.of(new Mount(volume, "/data", false, true)));
            assertThat(readOnly.exitCode()).isNotZero();
            assertThat(runtime.logs(readOnly.id(), 5)).contains("first", "second");
            for (ContainerInfo container : runtime.listContainers(labels(), true)) {
                runtime.removeContainer(container.id(), true);
            }
        } finally {
            runtime.removeVolume(volume);
        }
    }

    /** A host directory bind-mounted into a container is read and written in place. */
    @Test
    void bindMountsAHostDirectory() throws Exception {
        requires(RuntimeCapability.VOLUMES);
        Path host = Files.createDirectories(context.resolve("bind"));
        Files.writeString(host.resolve("in.txt"), "from the host");
        host.toFile().setWritable(true, false);
        ContainerInfo info = runToExit("bind", List.of("sh", "-c", "cat /mnt/host/in.txt; echo from the container > /mnt/host/out.txt"),
                null, List.of(new Mount(host.toString(), "/mnt/host", true, false)));
        assertThat(info.exitCode()).isZero();
        assertThat(runtime.logs(info.id(), 5)).contains("from the host");
        assertThat(Files.readString(host.resolve("out.txt")).strip()).isEqualTo("from the container");
        assertThat(info.mounts()).anySatisfy(mount -> {
            assertThat(mount.bind()).isTrue();
            assertThat(mount.target()).isEqualTo("/mnt/host");
        });
    }

    /** The spec's entrypoint replaces the image's, and its command becomes the entrypoint's arguments. */
    @Test
    void runsTheSpecsEntrypointWithItsCommand() throws Exception {
        requires(RuntimeCapability.STACKS);
        String id = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-entrypoint", baseImage(), Map.of("WHO", "kit"), 0,
                labels(), null, RestartPolicy.NO, List.of("echo from the entrypoint $WHO"), null, List.of(), List.of("sh", "-c")));
        runtime.startContainer(id);
        ContainerInfo info = awaitExit(id, "entrypoint");
        assertThat(info.exitCode()).isZero();
        assertThat(runtime.logs(id, 5)).contains("from the entrypoint kit");
    }

    /** Containers connected to a network (before they start) reach each other by their aliases there. */
    @Test
    void containersReachEachOtherByTheirAliasesOnANetwork() throws Exception {
        requires(RuntimeCapability.STACKS);
        String network = "ployer-kit-" + run + "-net";
        runtime.createNetwork(network, labels());
        try {
            String server = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-alpha", httpImage("alias"), Map.of(), 0,
                    labels(), null, RestartPolicy.NO, List.of(), null));
            runtime.connectNetwork(network, server, List.of("alpha"));
            runtime.startContainer(server);
            String client = runtime.createContainer(new ContainerSpec("ployer-kit-" + run + "-beta", baseImage(), Map.of(), 0,
                    labels(), null, RestartPolicy.NO, List.of("sh", "-c", "for i in $(seq 1 50); do wget -q -O - http://alpha:8080/ "
                    + "&& exit 0; sleep 0.2; done; exit 1"), null));
            runtime.connectNetwork(network, client, List.of("beta"));
            runtime.startContainer(client);
            ContainerInfo info = awaitExit(client, "client");
            assertThat(runtime.logs(client, 5)).contains("hello from alias");
            assertThat(info.exitCode()).isZero();
        } finally {
            for (ContainerInfo container : runtime.listContainers(labels(), true)) {
                runtime.removeContainer(container.id(), true);
            }
            runtime.removeNetwork(network);
        }
    }

    /** A command runs inside a running container: its exit code and the tail of its standard error come back. */
    @Test
    void runsACommandInARunningContainer() throws Exception {
        requires(RuntimeCapability.STACKS);
        String id = runHttp(httpImage("exec"), Map.of(), ResourceLimits.NONE);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.ployer.spi.runtime.ExecResult passed = runtime.exec(id, List.of("sh", "-c", "test -f /www/index.html && echo present"),
                Map.of(), out, Cancellation.NONE);
        assertThat(passed.exitCode()).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8).strip()).isEqualTo("present");
        io.ployer.spi.runtime.ExecResult failed = runtime.exec(id, List.of("sh", "-c", "echo not healthy >&2; exit 4"), Map.of(),
                java.io.OutputStream.nullOutputStream(), Cancellation.NONE);
        assertThat(failed.exitCode()).isEqualTo(4);
        assertThat(failed.errorTail()).contains("not healthy");
    }

    /** An image pushed to a registry and removed locally is pulled again, with its digest; an absent one is NOT_FOUND. */
    @Test
    void pullsAnImageFromARegistryAndReportsItsDigest() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(registry() != null, "the runtime under test names no registry to pull from");
        String local = httpImage("pull");
        String remote = registry() + "/ployer-kit-" + run + "/web:1";
        images.add(remote);
        List<String> log = new ArrayList<>();
        String digest = runtime.pushImage(local, remote, null, log::add, Cancellation.NONE);
        assertThat(digest).startsWith("sha256:");
        runtime.removeImage(remote);
        runtime.removeImage(local);
        assertThat(runtime.imageExists(remote)).isFalse();

        runtime.pullImage(remote, log::add, Cancellation.NONE);

        assertThat(runtime.imageExists(remote)).isTrue();
        assertThat(runtime.imageDigest(remote)).contains(digest);
        assertThat(fetch(runtime.inspectContainer(runHttp(remote, Map.of(), ResourceLimits.NONE)).orElseThrow().publishedEndpoint()
                .orElseThrow(), "/index.html")).isEqualTo("hello from pull");
        assertThatThrownBy(() -> runtime.pullImage(registry() + "/ployer-kit-" + run + "/absent:1", log::add, Cancellation.NONE))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }

    private ContainerInfo awaitExit(String id, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ContainerInfo info = runtime.inspectContainer(id).orElseThrow();
        while (info.running() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            info = runtime.inspectContainer(id).orElseThrow();
        }
        assertThat(info.running()).as("container %s exited", what).isFalse();
        return info;
    }

    /** A cancellation the test fires by hand. */
    protected static final class TestingCancellation implements Cancellation {
        private final List<Runnable> actions = new CopyOnWriteArrayList<>();
        private volatile boolean cancelled;

        public void cancel() {
            cancelled = true;
            actions.forEach(Runnable::run);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void onCancel(Runnable action) {
            actions.add(action);
            if (cancelled) {
                action.run();
            }
        }
    }
}
