package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import java.net.http.HttpResponse;
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

/** The deployment pipeline end to end: real git repositories, the real dockerd, a real Caddy. */
class DeploymentPipelineIT {
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(3);
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    final List<String> applications = new ArrayList<>();
    Ployer ployer;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        applications.forEach(PipelineFixture::removeEverythingOf);
    }

    private Application createApp(AppRepository repository) {
        String name = "app-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        applications.add(application.id());
        return application;
    }

    private Deployment deployAndWait(Application application) throws InterruptedException {
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        return ployer.deployments().awaitCompletion(deployment.id(), DEPLOY_TIMEOUT);
    }

    private String timedLog(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream()
                .map(line -> line.at() + " " + line.line()).toList());
    }

    private String log(Deployment deployment) {
        return String.join("\n", ployer.deployments().logs(deployment.id()).stream().map(DeploymentLogLine::line).toList());
    }

    @Test
    void deploysAnAppReachableThroughCaddyWithItsEnvironment() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        ployer.applications().setEnvVar(application.id(), "GREETING", "hello-from-env", false);
        List<PloyerEvent> events = new CopyOnWriteArrayList<>();
        ployer.events().subscribe(events::add);

        Deployment deployment = deployAndWait(application);

        assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(deployment.commitMessage()).isEqualTo("version v1");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
        assertThat(CADDY.fixture().get(application.name(), "/greeting.txt").body().strip()).isEqualTo("hello-from-env");
        assertThat(events).filteredOn(event -> event instanceof PloyerEvent.DeploymentStatusChanged)
                .extracting(event -> ((PloyerEvent.DeploymentStatusChanged) event).to())
                .containsSubsequence(DeploymentStatus.QUEUED, DeploymentStatus.CLONING, DeploymentStatus.BUILDING,
                        DeploymentStatus.STARTING, DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING,
                        DeploymentStatus.RUNNING);
        assertThat(events).anySatisfy(event -> assertThat(event).isInstanceOf(PloyerEvent.DeploymentLogged.class));
    }

    @Test
    void redeploysWithZeroDowntime() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        ployer.health().configure(new HealthCheck(application.id(), "/version.txt", 200, 299, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, 3, 20, Duration.ZERO, true));
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);
        repository.commitVersion("v2", "");

        AtomicBoolean running = new AtomicBoolean(true);
        List<String> unexpected = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
            int requests = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
            while (running.get() && System.nanoTime() < deadline && requests < 200_000) {
                HttpResponse<String> response = CADDY.fixture().get(application.name(), "/version.txt");
                requests++;
                String body = response.body().strip();
                if (response.statusCode() != 200 || !(body.equals("v1") || body.equals("v2"))) {
                    unexpected.add(java.time.Instant.now() + ": " + response.statusCode() + " " + body);
                } else if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(body)) {
                    seen.add(body);
                }
            }
            return requests;
        });
        List<Deployment> redeploys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Deployment deployment = deployAndWait(application);
            redeploys.add(deployment);
            assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
        }
        running.set(false);
        int requests = load.get(1, TimeUnit.MINUTES);

        assertThat(requests).isGreaterThan(50);
        assertThat(unexpected).as(() -> "responses that were not v1 or v2; what Caddy logged at error level:\n"
                + CADDY.caddy().readLog().lines().filter(line -> line.contains("\"error\"")).limit(20)
                .collect(java.util.stream.Collectors.joining("\n")) + "\nthe redeploys:\n"
                + redeploys.stream().map(this::timedLog).collect(java.util.stream.Collectors.joining("\n"))).isEmpty();
        assertThat(seen).contains("v2");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v2");
        // Old containers drained and removed: only the serving one is left.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (PipelineFixture.containersOf(application.id()).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(PipelineFixture.containersOf(application.id())).hasSize(1);
    }

    /**
     * A domain added to a running application serves without a redeploy, and a removed one stops serving,
     * right after the change: the reconciler's periodic pass is an hour away here, so only the change
     * itself can have routed them.
     */
    @Test
    void domainsAddedOrRemovedOnARunningAppAreRoutedAtOnce() throws Exception {
        ployer = CADDY.fixture().builder(data).config("reconcile.interval", "1h").build();
        ployer.start();
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);
        int port = CADDY.caddy().httpPort();
        String extra = "extra-" + application.name() + ".example.test";
        // (Caddy answers a host no route matches with an empty 200: what tells is the app's body.)
        assertThat(io.ployer.testkit.HostHttp.get(port, extra, "/version.txt").body().strip()).as("before it is added").isEmpty();

        ployer.applications().addDomain(application.id(), extra);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !io.ployer.testkit.HostHttp.get(port, extra, "/version.txt").body().strip().equals("v1")) {
            Thread.sleep(100);
        }
        assertThat(io.ployer.testkit.HostHttp.get(port, extra, "/version.txt").body().strip()).isEqualTo("v1");

        ployer.applications().removeDomain(application.id(), extra);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && io.ployer.testkit.HostHttp.get(port, extra, "/version.txt").body().strip().equals("v1")) {
            Thread.sleep(100);
        }
        assertThat(io.ployer.testkit.HostHttp.get(port, extra, "/version.txt").body().strip()).as("after it is removed").isEmpty();
        assertThat(CADDY.fixture().version(application.name())).as("the app's own domain still serves").isEqualTo("200 v1");
    }

    @Test
    void failuresEndFailedWithAReasonAndThePreviousVersionKeepsServing() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        ployer.health().configure(new HealthCheck(application.id(), "/version.txt", 200, 299, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 1, 3, 3, Duration.ZERO, true));
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);

        repository.commitVersion("broken-build", "RUN echo about to fail && false");
        Deployment buildFailure = deployAndWait(application);
        assertThat(buildFailure.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(buildFailure.failureReason()).contains("build failed");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");

        repository.commitCrashingVersion("crash");
        Deployment crash = deployAndWait(application);
        assertThat(crash.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(crash.failureReason()).contains("exited");
        assertThat(log(crash)).contains("crashing on purpose");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");

        repository.commit("never-healthy", "FROM ployer/busybox:latest\n"
                + "CMD [\"sh\", \"-c\", \"mkdir -p /www && exec httpd -f -p 8080 -h /www\"]\n");
        Deployment unhealthy = deployAndWait(application);
        assertThat(unhealthy.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(unhealthy.failureReason()).contains("never became healthy").contains("404");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");

        // Nothing of the failed deployments is left running.
        assertThat(PipelineFixture.containersOf(application.id())).extracting(ContainerInfo::labels)
                .extracting(labels -> labels.get(ContainerRuntime.LABEL_DEPLOYMENT))
                .doesNotContain(buildFailure.id(), crash.id(), unhealthy.id());
    }

    @Test
    void theDefaultGateFailsAnAppOnTheWrongPortAndCanBeTurnedOff() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        // Docker's port proxy accepts and closes the connection when nothing listens inside, so the reason
        // reads "the connection closed without an HTTP answer" rather than "connection refused".
        // No health check configured: the default gate (GET /, any answer below 500) lets v1 through on its 404.
        Deployment first = deployAndWait(application);
        assertThat(first.status()).as(log(first)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(first)).contains("Default health check: GET / on port 8080").contains("Health check passed: HTTP 404");

        repository.commit("wrong-port", "FROM ployer/busybox:latest\nCOPY version.txt /www/version.txt\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"9090\", \"-h\", \"/www\"]\n");
        Deployment wrongPort = deployAndWait(application);

        assertThat(wrongPort.status()).as(log(wrongPort)).isEqualTo(DeploymentStatus.FAILED);
        assertThat(wrongPort.failureReason()).startsWith("The app did not answer HTTP on port 8080 (last try: ")
                .contains("listens on 0.0.0.0:8080").doesNotContain("Exception");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
        assertThat(PipelineFixture.containersOf(application.id())).extracting(ContainerInfo::labels)
                .extracting(labels -> labels.get(ContainerRuntime.LABEL_DEPLOYMENT)).containsExactly(first.id());

        // Turned off explicitly, the same broken version goes live: the user asked for it.
        HealthCheck off = HealthCheck.defaults(application.id());
        ployer.health().configure(new HealthCheck(application.id(), off.path(), off.expectedStatusMin(), off.expectedStatusMax(),
                off.interval(), off.timeout(), off.healthyThreshold(), off.unhealthyThreshold(), off.retries(), off.startPeriod(), false));
        Deployment unchecked = deployAndWait(application);
        assertThat(unchecked.status()).as(log(unchecked)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(log(unchecked)).contains("Health check turned off");
    }

    @Test
    void cancellingDuringTheBuildLeavesNothingBehind() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("slow", "RUN echo slow build starts && sleep 60");
        Application application = createApp(repository);
        Deployment deployment = ployer.deployments().deploy(DeploymentRequest.of(application.id()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log(deployment).contains("slow build starts") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ployer.deployments().get(deployment.id()).status()).isEqualTo(DeploymentStatus.BUILDING);
        ployer.deployments().cancel(deployment.id());
        Deployment cancelled = ployer.deployments().awaitCompletion(deployment.id(), Duration.ofSeconds(60));
        assertThat(cancelled.status()).isEqualTo(DeploymentStatus.CANCELLED);
        assertThat(PipelineFixture.containersOf(application.id())).isEmpty();
        try (ContainerRuntime docker = PipelineFixture.docker()) {
            assertThat(docker.listImages(Map.of(ContainerRuntime.LABEL_DEPLOYMENT, deployment.id()))).isEmpty();
            assertThat(docker.imageExists(DeploymentPipeline.imageTag(application, deployment))).isFalse();
        }
    }

    @Test
    void secretsNeverReachLogsEventsOrTheEngineLog() throws Exception {
        String secret = "build-secret-" + UUID.randomUUID();
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        // Ployer's own loggers at DEBUG (deployment log lines are logged there too); the HTTP and Docker client
        // libraries stay at WARN as the server's logback.xml pins them, since their wire logs carry request bodies.
        ch.qos.logback.classic.Logger ployerLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.ployer");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> engineLog =
                new ch.qos.logback.core.read.ListAppender<>();
        engineLog.start();
        root.addAppender(engineLog);
        ployerLogger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            ployer = CADDY.fixture().start(data);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "ARG API_TOKEN\nRUN echo \"the token is $API_TOKEN\"");
            Application application = createApp(repository);
            ployer.applications().setEnvVar(application.id(), "API_TOKEN", secret, true);
            List<PloyerEvent> events = new CopyOnWriteArrayList<>();
            ployer.events().subscribe(events::add);

            Deployment deployment = deployAndWait(application);

            assertThat(deployment.status()).as(log(deployment)).isEqualTo(DeploymentStatus.RUNNING);
            assertThat(log(deployment)).contains("the token is ********").doesNotContain(secret);
            assertThat(events).allSatisfy(event -> assertThat(event.toString()).doesNotContain(secret));
            assertThat(engineLog.list).anySatisfy(line -> assertThat(line.getFormattedMessage()).contains("the token is ********"));
            assertThat(engineLog.list).allSatisfy(line -> assertThat(line.getFormattedMessage()).doesNotContain(secret));
        } finally {
            root.detachAppender(engineLog);
            ployerLogger.setLevel(null);
        }
    }

    @Test
    void rollsBackToAnEarlierImageWithoutBuilding() throws Exception {
        ployer = CADDY.fixture().start(data);
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        Application application = createApp(repository);
        Deployment first = deployAndWait(application);
        assertThat(first.status()).isEqualTo(DeploymentStatus.RUNNING);
        repository.commitVersion("v2", "");
        assertThat(deployAndWait(application).status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v2");

        Deployment rollback = ployer.deployments().awaitCompletion(ployer.deployments().rollback(first.id()).id(), DEPLOY_TIMEOUT);

        assertThat(rollback.status()).as(log(rollback)).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(rollback.imageRef()).isEqualTo(first.imageRef());
        assertThat(log(rollback)).contains("without building").doesNotContain("Status: BUILDING").doesNotContain("Status: CLONING");
        assertThat(CADDY.fixture().version(application.name())).isEqualTo("200 v1");
    }
}
