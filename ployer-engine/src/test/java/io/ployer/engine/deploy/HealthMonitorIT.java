package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.event.PloyerEvent;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthStatus;
import io.ployer.engine.health.HealthMonitor;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The health monitor against real containers: it restarts what fails and gives up on what keeps failing. */
class HealthMonitorIT {
    @TempDir
    Path data;

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private Ployer start(CaddyProcess caddy) {
        Ployer ployer = new PipelineFixture(caddy).builder(data.resolve("engine")).config("health.tick", "200ms")
                .config("health.restart-backoff", "1s").config("health.max-restarts", "3").config("health.restart-window", "5m").build();
        ployer.start();
        return ployer;
    }

    private Application deploy(Ployer ployer, AppRepository repository, String name) throws Exception {
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        ployer.health().configure(new HealthCheck(application.id(), "/health", 200, 299, Duration.ofSeconds(1), Duration.ofSeconds(1),
                1, 2, 5, Duration.ZERO, true));
        Deployment deployment = ployer.deployments().awaitCompletion(
                ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
        assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);
        return application;
    }

    @Test
    void restartsAnAppThatTurnsUnhealthyAndSeesItHealthyAgain() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy")); Ployer ployer = start(caddy)) {
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            // Healthy for 4 s after each start, then /health disappears.
            repository.commit("flaky", "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"mkdir -p /www && echo ok > /www/health && "
                    + "(sleep 4; rm /www/health) & exec httpd -f -p 8080 -h /www\"]\n");
            List<PloyerEvent.HealthChanged> transitions = new CopyOnWriteArrayList<>();
            List<PloyerEvent.HealthChecked> checks = new CopyOnWriteArrayList<>();
            ployer.events().subscribe(event -> {
                if (event instanceof PloyerEvent.HealthChanged changed) {
                    transitions.add(changed);
                } else if (event instanceof PloyerEvent.HealthChecked checked) {
                    checks.add(checked);
                }
            });
            Application application = deploy(ployer, repository, "flaky-" + System.nanoTime() % 100000);
            try {
                await(() -> transitions.stream().anyMatch(change -> change.to() == HealthStatus.UNHEALTHY), Duration.ofSeconds(30));
                await(() -> transitions.stream().dropWhile(change -> change.to() != HealthStatus.UNHEALTHY)
                        .anyMatch(change -> change.to() == HealthStatus.HEALTHY), Duration.ofSeconds(30));
                assertThat(checks).extracting(checked -> checked.result().status()).contains(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
                // Results are written in one transaction per scheduler tick (1 s).
                await(() -> ployer.health().results(application.id(), 100).stream()
                        .map(result -> result.status()).collect(java.util.stream.Collectors.toSet())
                        .containsAll(List.of(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY)), Duration.ofSeconds(5));
            } finally {
                PipelineFixture.removeEverythingOf(application.id());
            }
        }
    }

    @Test
    void givesUpOnAnAppThatKeepsFailingWithoutARestartStorm() throws Exception {
        Environment.requireDocker();
        Logger monitorLog = (Logger) LoggerFactory.getLogger(HealthMonitor.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        monitorLog.addAppender(log);
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy")); Ployer ployer = start(caddy)) {
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            // Healthy for 3 s after its first start only; every restart finds /tmp/started and exits at once.
            repository.commit("doomed", "FROM ployer/busybox:latest\nCMD [\"sh\", \"-c\", \"[ -f /tmp/started ] && exit 1; touch /tmp/started; "
                    + "mkdir -p /www && echo ok > /www/health && (sleep 3; rm /www/health) & exec httpd -f -p 8080 -h /www\"]\n");
            Application application = deploy(ployer, repository, "doomed-" + System.nanoTime() % 100000);
            try {
                await(() -> ployer.applications().get(application.id()).status() == ApplicationStatus.CRASH_LOOPING,
                        Duration.ofSeconds(60));
                long restarts = log.list.stream().filter(line -> line.getFormattedMessage().startsWith("restarting the container")).count();
                assertThat(restarts).isEqualTo(3);
                Thread.sleep(3000);
                assertThat(log.list.stream().filter(line -> line.getFormattedMessage().startsWith("restarting the container")).count())
                        .as("no restarts once crash-looping").isEqualTo(restarts);
            } finally {
                PipelineFixture.removeEverythingOf(application.id());
            }
        } finally {
            monitorLog.detachAppender(log);
        }
    }

}
