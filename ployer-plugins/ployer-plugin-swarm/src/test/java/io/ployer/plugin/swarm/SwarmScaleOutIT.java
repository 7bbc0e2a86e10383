package io.ployer.plugin.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.ResourceLimits;
import io.ployer.api.container.Endpoint;
import io.ployer.spi.plugin.Cancellation;
import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ImageBuildSpec;
import io.ployer.testkit.Environment;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application as a Swarm service on a single-node swarm: three replicas each answering on its loopback port, a
 * rolling update under load with no failed request, a release that fails its health check rolled back by Swarm itself,
 * scaling 3 → 5 → 1 without a new release, and the node and its replicas listed.
 */
@SuppressWarnings("try") // the load runs for its side effect inside try-with-resources
class SwarmScaleOutIT {
    private static final String BASE = "ployer/busybox:latest";
    /** httpd keeps serving while the stopping task's grace period runs (SIGTERM ignored, then killed). */
    private static final List<String> SERVE = List.of("sh", "-c",
            "httpd -p 8080 -h /www; echo serving; trap '' TERM; while true; do sleep 1; done");
    private static final String HEALTH = "wget -q -O /dev/null http://127.0.0.1:8080/health";

    @TempDir
    Path context;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> images = new ArrayList<>();
    private SwarmRuntime runtime;
    private String service;
    private String network;

    @BeforeAll
    static void requireSwarm() {
        Environment.requireDocker();
        Environment.requireImage(BASE);
        LocalSwarm.join();
    }

    @AfterAll
    static void leaveSwarm() {
        LocalSwarm.leave();
    }

    @BeforeEach
    void open() {
        runtime = (SwarmRuntime) new SwarmPlugin().containerRuntimeFactories().get(0)
                .create(Map.of(), new PluginContext() {
                });
        runtime.ping();
        service = "ployer-it-" + run;
        network = runtime.createNetwork("ployer-it-net-" + run, Map.of(ContainerRuntime.LABEL_MANAGED, "true")).name();
    }

    @AfterEach
    void cleanUp() {
        runtime.removeContainer(service, true);
        // the overlay network outlives the test when the swarm was there before it: removed once no task uses it
        runtime.await(() -> LocalSwarm.docker("ps", "-aq", "--filter", "label=io.ployer.test=" + run).isBlank(), Duration.ofSeconds(60));
        runtime.removeNetwork(network);
        images.forEach(runtime::removeImage);
        runtime.close();
    }

    private String release(String version, boolean healthy) throws IOException {
        Path directory = Files.createDirectories(context.resolve(version));
        Files.writeString(directory.resolve("Dockerfile"), "FROM " + BASE + "\nRUN mkdir -p /www && echo " + version
                + " > /www/index.html" + (healthy ? " && echo ok > /www/health" : "") + "\n");
        String tag = "ployer-swarm-it/web:" + version + "-" + run;
        runtime.buildImage(new ImageBuildSpec(directory, "Dockerfile", tag, Map.of(), Map.of()), line -> { }, Cancellation.NONE);
        images.add(tag);
        return tag;
    }

    private SwarmServiceSpec spec(String image, int replicas) {
        return new SwarmServiceSpec(service, image, replicas, Map.of("GREETING", "hello"), 8080,
                Map.of(ContainerRuntime.LABEL_MANAGED, "true", "io.ployer.test", run),
                new ResourceLimits(64L * 1024 * 1024, 0.5, 16L * 1024 * 1024, null), List.of("node.role==manager"), network,
                // health every 2 s with a 2 s timeout: at 500 ms a probe (a wget exec'd in the task) timed out now and then
                // on a 2-core machine, replicas read unhealthy ("no serving task") and Swarm replaced healthy tasks under
                // the load (the failed requests seen during the rollback)
                SERVE, HEALTH, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    private List<Endpoint> serving() {
        return runtime.tasks(service).stream().filter(SwarmTask::serving).map(SwarmTask::endpoint).toList();
    }

    private static HttpResponse<String> get(HttpClient client, Endpoint endpoint) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + "/index.html"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client that, like the proxy, sends each request to one of the serving tasks, the list refreshed from the swarm
     * every 100 ms; it counts answers by body and failures.
     */
    private final class Load implements AutoCloseable {
        final AtomicReference<List<Endpoint>> endpoints = new AtomicReference<>(serving());
        final Map<String, AtomicInteger> bodies = new ConcurrentHashMap<>();
        final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger requests = new AtomicInteger();
        volatile boolean running = true;
        final Thread refresher = new Thread(() -> {
            while (running) {
                endpoints.set(serving());
                pause(100);
            }
        });
        final Thread sender = new Thread(() -> {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            while (running) {
                List<Endpoint> now = endpoints.get();
                if (now.isEmpty()) {
                    failures.add("no serving task");
                    pause(20);
                    continue;
                }
                Endpoint endpoint = now.get(ThreadLocalRandom.current().nextInt(now.size()));
                try {
                    HttpResponse<String> response = get(client, endpoint);
                    if (response.statusCode() != 200) {
                        failures.add(endpoint + " answered " + response.statusCode());
                    } else {
                        bodies.computeIfAbsent(response.body().strip(), body -> new AtomicInteger()).incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.add(endpoint + ": " + e);
                } catch (InterruptedException e) {
                    return;
                }
                requests.incrementAndGet();
                pause(10); // bounded load: about 100 requests a second at most
            }
        });

        Load start() {
            refresher.start();
            sender.start();
            return this;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            sender.join();
            refresher.join();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void runsReplicasUpdatesRollingUnderLoadRollsBackABadReleaseAndScales() throws Exception {
        String v1 = release("v1", true);
        String v2 = release("v2", true);
        String bad = release("bad", false);

        // three replicas, each answering on its own loopback port
        String id = runtime.deploy(spec(v1, 3));
        assertThat(runtime.awaitConverged(service, Duration.ofSeconds(90))).as("three v1 replicas serve").isTrue();
        List<Endpoint> endpoints = serving();
        assertThat(endpoints).hasSize(3).doesNotHaveDuplicates().allSatisfy(endpoint -> assertThat(endpoint.host()).isEqualTo("127.0.0.1"));
        HttpClient client = HttpClient.newHttpClient();
        for (Endpoint endpoint : endpoints) {
            assertThat(get(client, endpoint).body().strip()).isEqualTo("v1");
        }
        // limits, placement, the overlay network, start-first with rollback, as Swarm holds them
        String inspected = LocalSwarm.docker("service", "inspect", id, "--format",
                "{{json .Spec.TaskTemplate.Resources}} {{json .Spec.TaskTemplate.Placement}} {{json .Spec.UpdateConfig}}");
        assertThat(inspected).contains("\"MemoryBytes\":67108864", "\"NanoCPUs\":500000000", "node.role==manager",
                "\"Order\":\"start-first\"", "\"FailureAction\":\"rollback\"", "\"Monitor\":3000000000");
        SwarmTask first = runtime.tasks(service).stream().filter(SwarmTask::serving).findFirst().orElseThrow();
        assertThat(LocalSwarm.docker("inspect", first.containerId(), "--format", "{{json .NetworkSettings.Networks}}"))
                .contains("ployer-it-net-" + run);

        // where each replica runs, and the node
        List<SwarmNodeInfo> nodes = runtime.swarmNodes();
        assertThat(nodes).hasSize(1);
        SwarmNodeInfo node = nodes.get(0);
        assertThat(node.state()).isEqualTo("ready");
        assertThat(node.role()).isEqualTo("manager");
        assertThat(node.nanoCpus()).isPositive();
        assertThat(node.memoryBytes()).isPositive();
        assertThat(runtime.tasks(service).stream().filter(SwarmTask::serving))
                .allSatisfy(task -> assertThat(task.nodeId()).isEqualTo(node.id()))
                .allSatisfy(task -> assertThat(task.nodeHostname()).isEqualTo(node.hostname()));
        assertThat(runtime.nodes()).singleElement().satisfies(cluster -> {
            assertThat(cluster.id()).isEqualTo(node.id());
            assertThat(cluster.state()).isEqualTo("ready");
        });
        // each replica's own health as Swarm reports it (on a loaded machine one probe may time out and a replica
        // read "unhealthy" for a moment: wait, bounded, for all three to read healthy at once)
        long healthDeadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < healthDeadline && !runtime.replicas(id).stream().filter(replica -> "running".equals(replica.state()))
                .allMatch(replica -> "healthy".equals(replica.health()))) {
            pause(500);
        }
        assertThat(runtime.replicas(id)).filteredOn(replica -> "running".equals(replica.state())).hasSize(3)
                .allSatisfy(replica -> assertThat(replica.nodeId()).isEqualTo(node.id()))
                .allSatisfy(replica -> assertThat(replica.health()).isEqualTo("healthy"));

        // a rolling update under load: no failed request, v2 everywhere at the end
        Load update = new Load().start();
        long started = System.nanoTime();
        runtime.deploy(spec(v2, 3));
        boolean converged = runtime.awaitConverged(service, Duration.ofSeconds(120));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        pause(500);
        update.close();
        assertThat(converged).as("the update finished").isTrue();
        assertThat(runtime.updateState(service)).contains("completed");
        assertThat(update.failures).as("failed requests during the rolling update").isEmpty();
        assertThat(update.bodies).containsKeys("v1", "v2");
        System.out.printf("rolling update of 3 replicas: %d ms, %d requests, %d failed, answers %s%n", took.toMillis(),
                update.requests.get(), update.failures.size(), update.bodies);
        for (Endpoint endpoint : serving()) {
            assertThat(get(client, endpoint).body().strip()).isEqualTo("v2");
        }

        // a release that fails its health check: Swarm rolls back to v2 by itself, still without a failed request
        Load rollback = new Load().start();
        started = System.nanoTime();
        runtime.deploy(spec(bad, 3));
        boolean rolledBack = runtime.await(() -> runtime.updateState(service).filter("rollback_completed"::equals).isPresent(),
                Duration.ofSeconds(120));
        took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(rolledBack).as("the bad release rolled back").isTrue();
        assertThat(runtime.image(service)).contains(v2);
        assertThat(runtime.awaitConverged(service, Duration.ofSeconds(60))).isTrue();
        rollback.close();
        assertThat(rollback.failures).as("failed requests during the rolled-back update").isEmpty();
        assertThat(rollback.bodies.keySet()).isEqualTo(Set.of("v2"));
        System.out.printf("bad release rolled back in %d ms, %d requests, %d failed%n", took.toMillis(),
                rollback.requests.get(), rollback.failures.size());

        // scale 3 -> 5 -> 1 without a new release
        for (int replicas : new int[] {5, 1}) {
            runtime.scale(service, replicas);
            assertThat(runtime.awaitConverged(service, Duration.ofSeconds(90))).as("scaled to %d", replicas).isTrue();
            assertThat(serving()).hasSize(replicas);
            for (Endpoint endpoint : serving()) {
                assertThat(get(client, endpoint).body().strip()).isEqualTo("v2");
            }
            assertThat(runtime.image(service)).contains(v2);
        }
    }
}
