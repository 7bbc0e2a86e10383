package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.runtime.ContainerRuntime;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in SWITCHING (the new route already applied, storage still SWITCHING): the restart routes
 * back to the previous version before it removes the new container, so no request fails across it.
 */
class SwitchingCrashIT {
    @TempDir
    Path data;

    @Test
    void aKillDuringTheSwitchFailsNoRequestAcrossTheRestart() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            Path engineData = data.resolve("engine");
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId = null;
            AtomicBoolean loading = new AtomicBoolean(true);
            try {
                String name;
                try (Ployer ployer = fixture.start(engineData)) {
                    Application application = ployer.applications().create(ApplicationSpec.named("switch-crash")
                            .withGit(repository.url(), "main"));
                    applicationId = application.id();
                    name = application.name();
                    Deployment first = ployer.deployments().awaitCompletion(
                            ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id(), Duration.ofMinutes(3));
                    assertThat(first.status()).isEqualTo(DeploymentStatus.RUNNING);
                }
                repository.commitVersion("v2", "");

                // Requests through Caddy all along: before, during and after the crash and the restart.
                AtomicInteger served = new AtomicInteger();
                Map<String, Integer> failures = new ConcurrentHashMap<>();
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                Thread load = new Thread(() -> {
                    while (loading.get()) {
                        try {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + caddy.httpPort() + "/version.txt")).header("Host", name + "." + PipelineFixture.BASE_DOMAIN)
                                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                served.incrementAndGet();
                            } else {
                                failures.merge("HTTP " + response.statusCode(), 1, Integer::sum);
                            }
                        } catch (IOException e) {
                            failures.merge(e.toString(), 1, Integer::sum);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                load.start();

                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), SwitchCrashHarness.class.getName(), engineData.toString(),
                        applicationId));
                fixture.config().forEach((key, value) -> command.add(key + "=" + value));
                Path childLog = data.resolve("child.log");
                Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
                try {
                    assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("the child halts after the switch").isTrue();
                } finally {
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                String output = java.nio.file.Files.readString(childLog, StandardCharsets.UTF_8);
                assertThat(output).as("child output").contains("SWITCHED ");
                assertThat(fixture.version(name)).as("the route already points at v2").isEqualTo("200 v2");

                try (Ployer restarted = fixture.start(engineData)) {
                    List<Deployment> deployments = restarted.deployments().list(DeploymentQuery.forApplication(applicationId));
                    Deployment crashed = deployments.stream().filter(deployment -> deployment.status() == DeploymentStatus.FAILED)
                            .findFirst().orElseThrow();
                    assertThat(crashed.failureReason()).contains("SWITCHING");
                    assertThat(fixture.version(name)).isEqualTo("200 v1");
                    assertThat(PipelineFixture.containersOf(applicationId)).extracting(container -> container.labels()
                            .get(ContainerRuntime.LABEL_DEPLOYMENT)).doesNotContain(crashed.id()).hasSize(1);
                    Thread.sleep(2000); // keep the load running a little after the restart settled
                }
                loading.set(false);
                load.join(30_000);
                assertThat(failures).as("requests that failed across the crash and restart (" + served.get() + " served)").isEmpty();
                assertThat(served.get()).isGreaterThan(10);
            } finally {
                loading.set(false);
                if (applicationId != null) {
                    PipelineFixture.removeEverythingOf(applicationId);
                }
            }
        }
    }
}
