package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Administration.ReconcileStatus;
import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciler passes on events, not only on its timer: with {@code reconcile.interval} at one
 * hour (no timed pass happens during the test), a {@code docker kill} of a running app's container
 * is started again and served through the real Caddy, a {@code docker rm -f} is reported, and a
 * Caddy that was down during a deploy gets its routes back once it returns (the failed switch told
 * the reconciler to watch the proxy).
 */
class ReconcileEventsIT {
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path data;

    @Test
    void aKilledContainerIsStartedAgainOnDockersEventNotOnTheTimer() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.builder(data.resolve("engine")).config("reconcile.interval", "1h").build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("event-kill")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                Deployment running = deploy(ployer, applicationId);
                assertThat(running.status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(fixture.version(application.name())).isEqualTo("200 v1");
                assertThat(ployer.administration().reconcileStatus().orElseThrow().containerRestarts()).isZero();

                docker("kill", running.containerId());
                long killed = System.nanoTime();
                awaitServed(caddy, application.name(), "v1");
                System.out.println("MEASURED killed container served again after " + (System.nanoTime() - killed) / 1_000_000 + " ms");
                ReconcileStatus status = awaitStatus(ployer, s -> s.containerRestarts() >= 1);
                assertThat(status.containerRestarts()).isEqualTo(1);
                assertThat(status.proxyState()).isEqualTo("in_sync");
                assertThat(docker("inspect", "-f", "{{.State.Running}}", running.containerId()).strip()).isEqualTo("true");
                for (int i = 0; i < 20; i++) {
                    assertThat(fixture.version(application.name())).isEqualTo("200 v1");
                }
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    @Test
    void aRemovedContainerIsReportedOnDockersEvent() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.builder(data.resolve("engine")).config("reconcile.interval", "1h").build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("event-rm")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                Deployment running = deploy(ployer, applicationId);
                assertThat(running.status()).isEqualTo(DeploymentStatus.RUNNING);

                docker("rm", "-f", running.containerId());
                ReconcileStatus status = awaitStatus(ployer, s -> s.missingContainers() >= 1);
                assertThat(status.missingContainers()).isEqualTo(1);
                assertThat(status.containerRestarts()).isZero();
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    @Test
    void caddyDownDuringADeployGetsItsRoutesBackWithoutATimedPass() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.builder(data.resolve("engine")).config("reconcile.interval", "1h").build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("event-proxy")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                assertThat(deploy(ployer, applicationId).status()).isEqualTo(DeploymentStatus.RUNNING);

                caddy.stop();
                repository.commitVersion("v2", "");
                assertThat(deploy(ployer, applicationId).status()).isEqualTo(DeploymentStatus.FAILED);
                caddy.startAgain();
                long returned = System.nanoTime();
                awaitServed(caddy, application.name(), "v1");
                System.out.println("MEASURED caddy back (1h interval) served after " + (System.nanoTime() - returned) / 1_000_000 + " ms");
                assertThat(awaitStatus(ployer, s -> s.routeRepairs() >= 1).proxyState()).isEqualTo("in_sync");
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    private static Deployment deploy(Ployer ployer, String applicationId) throws InterruptedException {
        return ployer.deployments().awaitCompletion(ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id(),
                Duration.ofMinutes(3));
    }

    /** The docker CLI, as an operator would run it; its output. */
    private static String docker(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "docker";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("docker %s: %s", String.join(" ", arguments), output).isZero();
        return output;
    }

    private static ReconcileStatus awaitStatus(Ployer ployer, Predicate<ReconcileStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            var status = ployer.administration().reconcileStatus();
            if (status.isPresent() && condition.test(status.get())) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reconciliation pass reached the expected state: " + ployer.administration().reconcileStatus());
    }

    /** Polls through Caddy until the app answers with {@code version}. */
    private void awaitServed(CaddyProcess caddy, String app, String version) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddy.httpPort()
                                + "/version.txt")).header("Host", app + "." + PipelineFixture.BASE_DOMAIN)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals(version)) {
                    return;
                }
            } catch (IOException notYet) {
                // nothing listens until the route is back
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the app was not served again; Caddy log:\n" + caddy.readLog());
    }
}
