package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 during a build: the next start marks the deployment interrupted, leaves no orphan, and v1 still serves. */
class CrashRecoveryIT {
    @TempDir
    Path data;

    @Test
    void recoversFromAKillDuringTheBuild() throws Exception {
        Environment.requireDocker();
        try (CaddyProcess caddy = CaddyProcess.start(data.resolve("caddy"))) {
            PipelineFixture fixture = new PipelineFixture(caddy);
            Path engineData = data.resolve("engine");
            AppRepository repository = AppRepository.create(data.resolve("repo"));
            repository.commitVersion("v1", "");
            String applicationId;
            String name;
            try (Ployer ployer = fixture.start(engineData)) {
                Application application = ployer.applications().create(ApplicationSpec.named("crash-app").withGit(repository.url(), "main"));
                applicationId = application.id();
                name = application.name();
                Deployment first = ployer.deployments().awaitCompletion(
                        ployer.deployments().deploy(DeploymentRequest.of(applicationId)).id(), Duration.ofMinutes(3));
                assertThat(first.status()).isEqualTo(DeploymentStatus.RUNNING);
            }
            try {
                assertThat(fixture.version(name)).isEqualTo("200 v1");
                repository.commitVersion("v2", "RUN echo slow build starts && sleep 60");

                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), CrashHarness.class.getName(), engineData.toString(), applicationId));
                fixture.config().forEach((key, value) -> command.add(key + "=" + value));
                Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
                String deploymentId;
                try {
                    deploymentId = awaitBuildStart(child);
                } finally {
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no cleanup
                }

                try (Ployer restarted = fixture.start(engineData)) {
                    Deployment interrupted = restarted.deployments().get(deploymentId);
                    assertThat(interrupted.status()).isEqualTo(DeploymentStatus.FAILED);
                    assertThat(interrupted.failureReason()).contains("interrupted").contains("BUILDING");
                    assertThat(PipelineFixture.containersOf(applicationId)).extracting(container -> container.labels()
                            .get(ContainerRuntime.LABEL_DEPLOYMENT)).doesNotContain(deploymentId).hasSize(1);
                    assertThat(fixture.version(name)).isEqualTo("200 v1");
                    assertThat(restarted.deployments().get(restarted.deployments().list(
                            io.ployer.api.deployment.DeploymentQuery.forApplication(applicationId)).get(1).id()).status())
                            .isEqualTo(DeploymentStatus.RUNNING);
                }
            } finally {
                PipelineFixture.removeEverythingOf(applicationId);
            }
        }
    }

    private static String awaitBuildStart(Process child) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        CompletableFuture<String> started = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = output.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith("BUILD-STARTED ")) {
                        return line.substring("BUILD-STARTED ".length()).strip();
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        String id = started.get(120, TimeUnit.SECONDS);
        assertThat(id).as("child output:\n" + seen).isNotNull();
        return id;
    }

}
