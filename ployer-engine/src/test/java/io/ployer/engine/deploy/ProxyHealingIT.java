package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Administration.ComponentStatus;
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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continuous reconciler against a real Caddy and the real dockerd: Caddy restarted with an
 * empty config, or down during a deploy, serves the app again within 10 s of its return, with the
 * default {@code reconcile.interval} and without restarting Ployer.
 */
class ProxyHealingIT {
    private static final Duration WITHIN = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path data;

    @Test
    void caddyRestartedEmptyServesTheAppAgainWithin10SecondsWithoutAPloyerRestart() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.start(data.resolve("engine"))) {
                Application application = ployer.applications().create(ApplicationSpec.named("heal-restart")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                assertThat(deploy(ployer, applicationId).status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(fixture.version(application.name())).isEqualTo("200 v1");

                caddy.restartEmpty();
                long returned = System.nanoTime();
                Duration recovery = awaitServed(caddy, application.name(), "v1");
                System.out.println("MEASURED caddy-restarted-empty recovery: " + recovery.toMillis() + " ms");
                assertThat(recovery).as("time from Caddy's return to the app being served").isLessThan(WITHIN);
                assertThat(Duration.ofNanos(System.nanoTime() - returned)).isLessThan(WITHIN.plusSeconds(1));
                for (int i = 0; i < 50; i++) {
                    assertThat(fixture.version(application.name())).isEqualTo("200 v1");
                }
                ReconcileStatus status = ployer.administration().reconcileStatus().orElseThrow();
                assertThat(status.proxyState()).isEqualTo("in_sync");
                assertThat(status.actualFingerprint()).isEqualTo(status.expectedFingerprint());
                assertThat(status.drifts()).isGreaterThanOrEqualTo(1);
                assertThat(status.routeRepairs()).isGreaterThanOrEqualTo(1);
                assertThat(proxyComponent(ployer).detail()).contains("in sync");
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    @Test
    void healthTellsAnEmptyProxyFromOneInSync() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            // A pass every hour: what health says between Caddy's restart and the next pass is observable.
            try (Ployer ployer = fixture.builder(data.resolve("engine")).config("reconcile.interval", "1h").build()) {
                ployer.start();
                Application application = ployer.applications().create(ApplicationSpec.named("heal-health")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                assertThat(deploy(ployer, applicationId).status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(ployer.administration().reconcileStatus().orElseThrow().proxyState()).isEqualTo("in_sync");
                assertThat(proxyComponent(ployer).detail()).contains("routes in sync");

                caddy.restartEmpty();

                ComponentStatus proxy = proxyComponent(ployer);
                assertThat(proxy.reachable()).isTrue();
                assertThat(proxy.detail()).contains("reachable but drifted");
                ReconcileStatus drifted = ployer.administration().reconcileStatus().orElseThrow();
                assertThat(drifted.proxyState()).isEqualTo("drifted");
                assertThat(drifted.actualRoutes()).isZero();
                assertThat(drifted.expectedRoutes()).isEqualTo(1);
                assertThat(drifted.actualFingerprint()).isNotEqualTo(drifted.expectedFingerprint());

                caddy.stop();
                assertThat(ployer.administration().reconcileStatus().orElseThrow().proxyState()).isEqualTo("unreachable");
                assertThat(proxyComponent(ployer).reachable()).isFalse();
                caddy.startAgain();
            } finally {
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }

    @Test
    void caddyDownDuringADeployServesThePreviousVersionWithin10SecondsOfItsReturn() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            try (Ployer ployer = fixture.start(data.resolve("engine"))) {
                Application application = ployer.applications().create(ApplicationSpec.named("heal-down")
                        .withGit(repository.url(), "main"));
                applicationId = application.id();
                assertThat(deploy(ployer, applicationId).status()).isEqualTo(DeploymentStatus.RUNNING);
                assertThat(fixture.version(application.name())).isEqualTo("200 v1");

                caddy.stop();
                repository.commitVersion("v2", "");
                Deployment failed = deploy(ployer, applicationId);
                assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
                assertThat(failed.failureReason()).doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b")
                        .doesNotContain("{\"").doesNotContain("java.");
                assertThat(PipelineFixture.containersOf(applicationId)).hasSize(1);

                caddy.startAgain();
                Duration recovery = awaitServed(caddy, application.name(), "v1");
                System.out.println("MEASURED caddy-down-during-deploy recovery: " + recovery.toMillis() + " ms");
                assertThat(recovery).as("time from Caddy's return to the previous version being served").isLessThan(WITHIN);
                for (int i = 0; i < 50; i++) {
                    assertThat(fixture.version(application.name())).isEqualTo("200 v1");
                }
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

    private static ComponentStatus proxyComponent(Ployer ployer) {
        return ployer.administration().components().stream().filter(component -> component.role().equals("proxy"))
                .findFirst().orElseThrow();
    }

    /** Polls through Caddy every 50 ms until the app answers with {@code version}; how long that took. */
    private Duration awaitServed(CaddyProcess caddy, String app, String version) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + caddy.httpPort()
                                + "/version.txt")).header("Host", app + "." + PipelineFixture.BASE_DOMAIN)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().strip().equals(version)) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // Caddy has no listener on the port until the route is back
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the app was not served again within 30 s; Caddy log:\n" + caddy.readLog());
    }
}
