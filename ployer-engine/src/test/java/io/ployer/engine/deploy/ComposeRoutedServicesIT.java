package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.container.ContainerInfo;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.health.HealthCheck;
import io.ployer.spi.runtime.ContainerRuntime;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack with two routed services behind Caddy: {@code web} on www-… and the app's own domain, {@code admin} on
 * admin-…, each on its own port and route. Redeploys under load on both hosts lose no request, the reconciler
 * (every 200 ms meanwhile) neither removes nor mis-routes the second routed service, a routed service failing
 * the health gate fails the deployment with the previous stack still serving both hosts, and removing the
 * admin domain removes its route.
 */
class ComposeRoutedServicesIT {
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
            PipelineFixture.removeStackOf(application);
        }
    }

    static final String WEB_DOCKERFILE = """
            FROM ployer/busybox:latest
            COPY version.txt /www/version.txt
            CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
            """;

    /** {@code adminHealthy} false: admin serves no /version.txt, so it fails the app's health check. */
    static String compose(String version, boolean adminHealthy) {
        return """
                services:
                  worker:
                    image: ployer/busybox:latest
                    command: ["sleep", "100000"]
                  web:
                    build:
                      context: .
                      dockerfile: web.Dockerfile
                    expose: ["8080"]
                    depends_on:
                      worker:
                        condition: service_started
                  admin:
                    image: ployer/busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && %2$s exec httpd -f -p 8081 -h /www"]
                    environment:
                      VERSION: %1$s
                """.formatted(version, adminHealthy ? "echo admin $$VERSION > /www/version.txt &&" : "");
    }

    private static void commit(AppRepository repository, Path directory, String version, boolean adminHealthy) throws IOException {
        Files.writeString(directory.resolve("web.Dockerfile"), WEB_DOCKERFILE);
        Files.writeString(directory.resolve("compose.yaml"), compose(version, adminHealthy));
        repository.commit(version, "FROM scratch\n");
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        return ployer.deployments().awaitCompletion(ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(),
                DeploymentPipelineIT.DEPLOY_TIMEOUT);
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(line -> line.at() + " " + line.line()).toList());
    }

    private static List<ContainerInfo> containers(Application application, String service) {
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            return docker.listContainers(Map.of(ContainerRuntime.LABEL_APP, application.id(), "io.ployer.service", service), true);
        }
    }

    /** Requests one host until stopped; every answer must be 200 with a body matching {@code expected}. */
    private static CompletableFuture<Integer> load(String host, String expected, AtomicBoolean running, List<String> unexpected) {
        return CompletableFuture.supplyAsync(() -> {
            int requests = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (running.get() && System.nanoTime() < deadline) {
                HttpResponse<String> response;
                try {
                    response = CADDY.fixture().get(host, "/version.txt");
                } catch (AssertionError e) {
                    unexpected.add(host + ": " + e.getMessage() + " at " + java.time.Instant.now());
                    continue;
                }
                requests++;
                String body = response.body().strip();
                if (response.statusCode() != 200 || !body.matches(expected)) {
                    unexpected.add(host + ": " + response.statusCode() + " " + body + " at " + java.time.Instant.now());
                }
            }
            return requests;
        });
    }

    @Test
    void twoRoutedServicesEachGetTheirDomainsAZeroDowntimeSwitchAndAHealthGate() throws Exception {
        ployer = CADDY.fixture().builder(data).config("reconcile.interval", "200ms").build();
        ployer.start();
        Path directory = data.resolve("repo");
        AppRepository repository = AppRepository.create(directory);
        commit(repository, directory, "v1", true);
        String name = "two-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main")
                .withBuild("compose", Map.of()));
        applications.add(application);
        ployer.applications().addDomain(application.id(), "www-" + name + "." + PipelineFixture.BASE_DOMAIN, "web", 8080);
        ployer.applications().addDomain(application.id(), "admin-" + name + "." + PipelineFixture.BASE_DOMAIN, "admin", 8081);
        // The app's configuration files go to its routed services (both serve /www), not to the worker.
        ployer.files().putFile(application.id(), "/www/settings.ini", "mode = stacked\n");
        ployer.health().configure(new HealthCheck(application.id(), "/version.txt", 200, 299, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, 2, 2, Duration.ZERO, true));

        Deployment first = deployAndWait(application);

        assertThat(first.status()).as(log(first)).isEqualTo(DeploymentStatus.RUNNING);
        // The app's own domain (no service) goes to web, the first routed service of the file; admin has its own route.
        assertThat(CADDY.fixture().version(name)).isEqualTo("200 v1");
        assertThat(CADDY.fixture().version("www-" + name)).isEqualTo("200 v1");
        assertThat(CADDY.fixture().version("admin-" + name)).isEqualTo("200 admin v1");
        assertThat(log(first)).contains("routed: web on port 8080, admin on port 8081", "Health check of the routed service admin");
        assertThat(CADDY.fixture().get("www-" + name, "/settings.ini").body().strip()).isEqualTo("mode = stacked");
        assertThat(CADDY.fixture().get("admin-" + name, "/settings.ini").body().strip()).isEqualTo("mode = stacked");
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.inspectContainer(containers(application, "worker").get(0).id()).orElseThrow().mounts()).isEmpty();
            assertThat(docker.inspectContainer(first.containerId()).orElseThrow().mounts()).extracting(io.ployer.api.container.Mount::target)
                    .contains("/www/settings.ini");
        }
        assertThat(containers(application, "web").get(0).id()).isEqualTo(first.containerId());
        assertThat(ployer.deployments().services(application.id())).extracting(service -> service.service() + " " + service.routed())
                .containsExactly("admin true", "web true", "worker false");
        // The service's logs without a service name are the primary routed service's.
        assertThat(ployer.deployments().serviceLogs(application.id(), null, 10)).isNotNull();

        AtomicBoolean running = new AtomicBoolean(true);
        List<String> unexpected = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> web = load("www-" + name, "v[123]", running, unexpected);
        CompletableFuture<Integer> admin = load("admin-" + name, "admin v[123]", running, unexpected);
        commit(repository, directory, "v2", true);
        Deployment second = deployAndWait(application);
        commit(repository, directory, "v3", true);
        Deployment third = deployAndWait(application);
        Thread.sleep(1500); // the reconciler's passes and the drains of v2 happen under load too
        running.set(false);
        int webRequests = web.get(1, TimeUnit.MINUTES);
        int adminRequests = admin.get(1, TimeUnit.MINUTES);
        System.out.printf("two routed services: %d + %d requests through Caddy during 2 redeploys, %d failed%n", webRequests,
                adminRequests, unexpected.size());
        assertThat(second.status()).as(log(second)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(third.status()).as(log(third)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(webRequests).isGreaterThan(20);
        assertThat(adminRequests).isGreaterThan(20);
        assertThat(unexpected).as("failed requests during the redeploys\n" + log(second) + "\n" + log(third)).isEmpty();
        assertThat(CADDY.fixture().version("www-" + name)).isEqualTo("200 v3");
        assertThat(CADDY.fixture().version("admin-" + name)).isEqualTo("200 admin v3");
        // The old routed containers drained and went (the drain period is 3 s: waited for, bounded); the reconciler
        // kept v3's admin (not the deployment's container).
        long drained = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < drained && (containers(application, "admin").size() > 1 || containers(application, "web").size() > 1)) {
            Thread.sleep(200);
        }
        assertThat(containers(application, "admin")).extracting(container -> container.labels().get(ContainerRuntime.LABEL_DEPLOYMENT))
                .containsExactly(third.id());
        assertThat(containers(application, "web")).extracting(container -> container.labels().get(ContainerRuntime.LABEL_DEPLOYMENT))
                .containsExactly(third.id());
        assertThat(ployer.administration().reconcileStatus()).hasValueSatisfying(status ->
                assertThat(status.proxyState()).isEqualTo("in_sync"));

        // admin failing the health gate fails the deployment; v3 keeps serving both hosts, nothing of the run is left.
        commit(repository, directory, "v4", false);
        Deployment broken = deployAndWait(application);
        assertThat(broken.status()).as(log(broken)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(log(broken)).contains("Health check of the routed service admin");
        assertThat(CADDY.fixture().version("www-" + name)).isEqualTo("200 v3");
        assertThat(CADDY.fixture().version("admin-" + name)).isEqualTo("200 admin v3");
        assertThat(containers(application, "admin")).hasSize(1);

        // Without its domain, admin has no route any more; web's hosts still serve.
        ployer.applications().removeDomain(application.id(), "admin-" + name + "." + PipelineFixture.BASE_DOMAIN);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (CADDY.fixture().version("admin-" + name).equals("200 admin v3") && System.nanoTime() < until) {
            Thread.sleep(100); // the reconciler takes the route away on its next pass
        }
        assertThat(CADDY.fixture().version("admin-" + name)).isNotEqualTo("200 admin v3");
        assertThat(CADDY.fixture().version(name)).isEqualTo("200 v3");
        Thread.sleep(600);
        assertThat(CADDY.fixture().version("admin-" + name)).as("the reconciler did not bring it back").isNotEqualTo("200 admin v3");
    }
}
