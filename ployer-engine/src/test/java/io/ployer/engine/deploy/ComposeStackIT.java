package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.Domain;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Compose stack on dockerd behind Caddy: a web service built from the repository (routed),
 * a worker and a store with a healthcheck both depend on, a named volume they share. Redeploys under
 * load lose no request, the volume keeps its data across versions, a failed service leaves the previous
 * stack serving, and a rollback brings back the whole stack's images.
 */
class ComposeStackIT {
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<Application> applications = new ArrayList<>();
    Ployer ployer;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        for (Application application : applications) {
            PipelineFixture.removeStackOf(application, "storedata", "queue-data");
        }
    }

    static final String WEB_DOCKERFILE = """
            FROM ployer/busybox:latest
            ARG GREETING_ARG
            COPY version.txt /www/version.txt
            RUN echo "$GREETING_ARG" > /www/arg.txt
            CMD ["sh", "-c", "echo \\"$MESSAGE\\" > /www/message.txt; exec httpd -f -p 8080 -h /www"]
            """;

    /** The stack of one version; {@code storeHealthy} false gives a store whose healthcheck never passes. */
    static String compose(String version, boolean storeHealthy) {
        return """
                services:
                  web:
                    build:
                      context: .
                      dockerfile: web.Dockerfile
                      args:
                        GREETING_ARG: built-${GREETING}
                    environment:
                      MESSAGE: "hello ${GREETING:-nobody} from ${MISSING:-web}"
                    expose: ["8080"]
                    ports: ["8080:8080"]
                    depends_on:
                      store:
                        condition: service_healthy
                      worker:
                        condition: service_started
                      migrate:
                        condition: service_completed_successfully
                    volumes:
                      - storedata:/www/data:ro
                    labels:
                      com.example.role: web
                  worker:
                    image: ployer/busybox:latest
                    entrypoint: ["sh", "-c"]
                    command: ["wget -q -O /data/worker-saw.txt http://store:9000/ready && echo \\"worker $$VERSION\\" >> /data/counter.txt && exec sleep 100000"]
                    environment:
                      VERSION: %1$s
                    volumes: [storedata:/data]
                    deploy:
                      resources:
                        limits:
                          memory: 64m
                          pids: 50
                    depends_on:
                      store:
                        condition: service_healthy
                  store:
                    image: ployer/busybox:latest
                    command: ["sh", "-c", "rm -f /data/ready; echo \\"store up $$VERSION\\"; echo \\"store $$VERSION\\" >> /data/counter.txt; (sleep 1; echo ok > /data/ready) & exec httpd -f -p 9000 -h /data"]
                    environment:
                      VERSION: %1$s
                    volumes: [storedata:/data]
                    healthcheck:
                      test: ["CMD-SHELL", "%2$s"]
                      interval: 300ms
                      retries: 10
                  migrate:
                    image: ployer/busybox:latest
                    command: ["sh", "-c", "echo \\"migrate $$VERSION\\" >> /data/counter.txt"]
                    environment:
                      VERSION: %1$s
                    volumes: [storedata:/data]
                    depends_on:
                      store:
                        condition: service_healthy
                volumes:
                  storedata:
                """.formatted(version, storeHealthy ? "test -f /data/ready" : "false");
    }

    private static void commit(AppRepository repository, Path directory, String version, boolean storeHealthy) throws IOException {
        Files.writeString(directory.resolve("web.Dockerfile"), WEB_DOCKERFILE);
        Files.writeString(directory.resolve("compose.yaml"), compose(version, storeHealthy));
        repository.commit(version, "FROM scratch\n");
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        return ployer.deployments().awaitCompletion(ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(),
                DeploymentPipelineIT.DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    private String timedLog(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(line -> line.at() + " " + line.line()).toList());
    }

    private Application composeApp(AppRepository repository) {
        String name = "stk-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main")
                .withBuild("compose", Map.of()));
        applications.add(application);
        return application;
    }

    private static Map<String, ContainerInfo> servicesOf(Deployment deployment) {
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            Map<String, ContainerInfo> services = new java.util.TreeMap<>();
            docker.listContainers(Map.of(ContainerRuntime.LABEL_DEPLOYMENT, deployment.id()), true)
                    .forEach(container -> services.put(container.labels().get("io.ployer.service"), container));
            return services;
        }
    }

    @Test
    void aStackDeploysRedeploysUnderLoadKeepsItsVolumeSurvivesAFailedServiceAndRollsBack() throws Exception {
        ployer = CADDY.fixture().builder(data).config("deploy.keep-images", "2").build();
        ployer.start();
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1", true);
        Application application = composeApp(repository);
        ployer.applications().setEnvVar(application.id(), "GREETING", "stacks", true);
        Domain www = ployer.applications().addDomain(application.id(), "www-" + application.name() + "." + PipelineFixture.BASE_DOMAIN,
                "web", 8080);
        assertThat(www.service()).isEqualTo("web");
        assertThat(www.port()).isEqualTo(8080);

        Deployment first = deployAndWait(application);

        assertThat(first.status()).as(log(first)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
        assertThat(CADDY.fixture().get("www-" + application.name(), "/version.txt").body().strip()).isEqualTo("v1");
        // The app's env reaches every service and the file's ${VAR} (build args too); defaults fill what is unset.
        assertThat(CADDY.fixture().get(application.name(), "/message.txt").body().strip()).isEqualTo("hello stacks from web");
        assertThat(CADDY.fixture().get(application.name(), "/arg.txt").body().strip()).isEqualTo("built-stacks");
        // Dependency order: the store was healthy before the worker started, the worker reached it by its service name.
        // A one-off (service_completed_successfully) ran to exit 0 before web started, and is not restarted.
        assertThat(CADDY.fixture().get(application.name(), "/data/counter.txt").body().lines().toList())
                .containsExactlyInAnyOrder("store v1", "worker v1", "migrate v1").startsWith("store v1");
        assertThat(CADDY.fixture().get(application.name(), "/data/worker-saw.txt").body().strip()).isEqualTo("ok");
        assertThat(log(first)).contains("ports are ignored", "Waiting for store to be healthy", "store is healthy");
        Map<String, ContainerInfo> services = servicesOf(first);
        assertThat(services).containsOnlyKeys("web", "worker", "store", "migrate");
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            ContainerInfo migrate = docker.inspectContainer(services.get("migrate").id()).orElseThrow();
            assertThat(migrate.running()).isFalse();
            assertThat(migrate.exitCode()).isZero();
            assertThat(migrate.restarts()).isZero();
        }
        assertThat(List.of("web", "worker", "store")).allSatisfy(name -> assertThat(services.get(name).running()).isTrue());
        assertThat(services.get("web").labels()).containsEntry("com.example.role", "web");
        assertThat(services.get("web").id()).isEqualTo(first.containerId());
        assertThat(ployer.deployments().services(application.id())).extracting(service -> service.service() + " "
                + service.running() + " " + service.routed()).containsExactly("migrate false false", "store true false", "web true true", "worker true false");
        assertThat(ployer.deployments().serviceLogs(application.id(), "store", 50)).contains("store up v1");
        assertThat(ployer.deployments().serviceStats(application.id(), "worker").memoryLimitBytes()).isEqualTo(64L * 1024 * 1024);
        assertThatThrownBy(() -> ployer.deployments().serviceLogs(application.id(), "nope", 50))
                .isInstanceOfSatisfying(io.ployer.api.PloyerException.class, e -> assertThat(e.field()).hasValue("service"));
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            ContainerInfo worker = docker.inspectContainer(services.get("worker").id()).orElseThrow();
            assertThat(worker.limits().memory()).hasValue(64L * 1024 * 1024);
            assertThat(worker.limits().pidsLimit()).hasValue(50L);
        }

        // Redeploy twice under load: not one request through Caddy fails.
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> unexpected = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
            int requests = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (running.get() && System.nanoTime() < deadline) {
                java.time.Instant sent = java.time.Instant.now();
                HttpResponse<String> response;
                try {
                    response = CADDY.fixture().get(application.name(), "/version.txt");
                } catch (AssertionError e) {
                    unexpected.add(e.getMessage() + " sent at " + sent);
                    continue;
                }
                requests++;
                String body = response.body().strip();
                if (response.statusCode() != 200 || !body.matches("v[123]")) {
                    unexpected.add(response.statusCode() + " " + body + " at " + java.time.Instant.now());
                }
            }
            return requests;
        });
        commit(repository, directory, "v2", true);
        Deployment second = deployAndWait(application);
        commit(repository, directory, "v3", true);
        Deployment third = deployAndWait(application);
        running.set(false);
        int requests = load.get(1, TimeUnit.MINUTES);
        System.out.printf("compose stack: %d requests through Caddy during 2 redeploys, %d failed%n", requests, unexpected.size());
        assertThat(second.status()).as(log(second)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(third.status()).as(log(third)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(requests).isGreaterThan(20);
        assertThat(unexpected).as("failed requests during the redeploys\n" + timedLog(second) + "\n" + timedLog(third)).isEmpty();
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v3");
        // The named volume kept every version's lines.
        assertThat(CADDY.fixture().get(application.name(), "/data/counter.txt").body().lines().toList())
                .containsSubsequence("store v1", "worker v1", "store v2", "worker v2", "store v3", "worker v3")
                .contains("migrate v1", "migrate v2", "migrate v3");
        // The previous stacks' non-routed services were replaced: only v3's worker and store run.
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            List<ContainerInfo> workers = docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id(),
                    "io.ployer.service", "worker"), true);
            assertThat(workers).extracting(container -> container.labels().get(ContainerRuntime.LABEL_DEPLOYMENT))
                    .containsExactly(third.id());
        }

        // A store that never becomes healthy fails the deployment; v3 keeps serving, nothing of the failed run is left.
        commit(repository, directory, "v4", false);
        Deployment broken = deployAndWait(application);
        assertThat(broken.status()).as(log(broken)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(broken.failureReason()).contains("store");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v3");
        assertThat(servicesOf(broken)).isEmpty();
        assertThat(servicesOf(third)).containsOnlyKeys("web", "worker", "store", "migrate");

        // With deploy.keep-images=2 every service image of v1 was pruned, v2's and v3's are kept.
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            String v1 = first.imageRef().substring(first.imageRef().lastIndexOf(':'));
            String v2 = second.imageRef().substring(second.imageRef().lastIndexOf(':'));
            for (String service : List.of("web", "worker", "store", "migrate")) {
                assertThat(docker.imageExists("ployer/" + application.name() + "-" + service + v1)).as(service + " v1").isFalse();
                assertThat(docker.imageExists("ployer/" + application.name() + "-" + service + v2)).as(service + " v2").isTrue();
            }
        }

        // Rolling back to v2 runs v2's images and file again (no build).
        Deployment rollback = ployer.deployments().awaitCompletion(ployer.deployments().rollback(second.id()).id(),
                DeploymentPipelineIT.DEPLOY_TIMEOUT);
        assertThat(rollback.status()).as(log(rollback)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(rollback)).doesNotContain("Building web");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v2");
        assertThat(rollback.imageRef()).isEqualTo(second.imageRef());
        assertThat(servicesOf(rollback)).containsOnlyKeys("web", "worker", "store", "migrate");
        assertThat(CADDY.fixture().get(application.name(), "/data/counter.txt").body().lines().toList())
                .containsSubsequence("store v3", "worker v3", "store v2", "worker v2");
    }

    /** The compose example of README's Stacks section, as written there. */
    static String readmeExample() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md")); // tests run in the module's directory
        int stacks = lines.indexOf("### Stacks");
        int start = stacks;
        while (!lines.get(start).equals("    services:")) {
            start++;
        }
        StringBuilder yaml = new StringBuilder();
        for (int i = start; i < lines.size() && (lines.get(i).isEmpty() || lines.get(i).startsWith("    ")); i++) {
            yaml.append(lines.get(i).isEmpty() ? "" : lines.get(i).substring(4)).append('\n');
        }
        return yaml.toString();
    }

    @Test
    void theReadmesStackExampleDeploys() throws Exception {
        ployer = CADDY.fixture().start(data);
        Path directory = data.resolve("readme");
        AppRepository repository = AppRepository.create(directory);
        String example = readmeExample();
        assertThat(example).contains("worker:", "queue:", "service_healthy");
        Files.writeString(directory.resolve("compose.yaml"), example);
        Files.writeString(directory.resolve("version.txt"), "readme\n");
        repository.commit("readme", "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                + "CMD [\"sh\", \"-c\", \"echo \\\"$REDIS_URL\\\" > /www/redis.txt; exec httpd -f -p 8080 -h /www\"]\n");
        Application application = composeApp(repository);
        ployer.applications().setEnvVar(application.id(), "REDIS_IMAGE", "ployer-test/redis:7", false);

        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 readme");
        assertThat(CADDY.fixture().get(application.name(), "/redis.txt").body().strip()).isEqualTo("redis://queue:6379/0");
        assertThat(ployer.deployments().services(application.id())).extracting(service -> service.service() + " " + service.running())
                .containsExactly("queue true", "web true", "worker true");
        assertThat(String.join("\n", ployer.deployments().serviceLogs(application.id(), "queue", 200)))
                .contains("Ready to accept connections");
        // The stack's named volume is its own while the app lives, and goes with it on ?delete_volumes=true.
        String volume = "ployer-" + application.name() + "_queue-data";
        assertThat(ployer.volumes().orphaned()).noneSatisfy(orphan -> assertThat(orphan.name()).isEqualTo(volume));
        ployer.volumes().deleteApplication(application.id(), true);
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.listVolumes()).extracting(io.ployer.api.container.VolumeInfo::name).doesNotContain(volume);
            assertThat(docker.listNetworks()).extracting(io.ployer.api.container.NetworkInfo::name)
                    .doesNotContain("ployer-" + application.name());
        }
    }
}
