package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.Ployer;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.container.ClusterNode;
import io.ployer.api.container.Replica;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.plugin.caddy.testing.CaddyProcess;
import io.ployer.testkit.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on the {@code swarm} runtime: an application deploys as a Swarm service with {@code runtime.replicas}
 * replicas, is served through Caddy, is scaled through {@code applications().scale} without a new deployment, and the
 * node and where each replica runs are listed. A single-node swarm on this machine's dockerd (made and left by the test
 * only if it was not one).
 */
class SwarmScaleIT {
    @TempDir
    static Path shared;
    static CaddyProcess caddy;
    static PipelineFixture fixture;
    static boolean initialisedHere;

    @TempDir
    Path data;
    Ployer ployer;
    String applicationId;

    @BeforeAll
    static void startSwarmAndCaddy() {
        Environment.requireDocker();
        if (!docker("info", "--format", "{{.Swarm.LocalNodeState}}").strip().equals("active")) {
            docker("swarm", "init", "--advertise-addr", "127.0.0.1");
            initialisedHere = true;
        }
        caddy = CaddyProcess.start(shared.resolve("caddy"));
        fixture = new PipelineFixture(caddy);
    }

    @AfterAll
    static void stopSwarmAndCaddy() {
        if (caddy != null) {
            caddy.close();
        }
        if (initialisedHere) {
            docker("swarm", "leave", "--force");
        }
    }

    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        if (applicationId != null) {
            for (String service : docker("service", "ls", "-q", "--filter", "label=io.ployer.app=" + applicationId).split("\\s+")) {
                if (!service.isBlank()) {
                    docker("service", "rm", service);
                }
            }
            PipelineFixture.removeEverythingOf(applicationId);
        }
    }

    private static String docker(String... arguments) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("docker"));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("docker " + String.join(" ", arguments) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long runningReplicas(String containerId) {
        return ployer.containers().replicas(containerId).stream()
                .filter(replica -> "running".equals(replica.state()) && "running".equals(replica.desiredState())).count();
    }

    private long awaitRunningReplicas(String containerId, int wanted) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        long running = runningReplicas(containerId);
        while (running != wanted && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            running = runningReplicas(containerId);
        }
        return running;
    }

    @Test
    void deploysAsAServiceAndScalesWithoutANewDeployment() throws Exception {
        ployer = fixture.builder(data).config("runtime", "swarm").config("runtime.replicas", "2").build();
        ployer.start();
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        String name = "swarm-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        applicationId = application.id();

        Deployment deployment = ployer.deployments().awaitCompletion(
                ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
        assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(fixture.version(name)).isEqualTo("200 v1");
        assertThat(docker("service", "inspect", deployment.containerId(), "--format", "{{.Spec.Name}}").strip()).isNotBlank();
        assertThat(awaitRunningReplicas(deployment.containerId(), 2)).isEqualTo(2);

        List<ClusterNode> nodes = ployer.containers().nodes();
        assertThat(nodes).singleElement().satisfies(node -> {
            assertThat(node.state()).isEqualTo("ready");
            assertThat(node.role()).isEqualTo("manager");
        });

        ployer.applications().scale(application.id(), 3);
        assertThat(awaitRunningReplicas(deployment.containerId(), 3)).isEqualTo(3);
        List<Replica> replicas = ployer.containers().replicas(deployment.containerId());
        assertThat(replicas).filteredOn(replica -> "running".equals(replica.state()))
                .allSatisfy(replica -> assertThat(replica.nodeId()).isEqualTo(nodes.get(0).id()));
        assertThat(fixture.version(name)).isEqualTo("200 v1");
        ployer.applications().scale(application.id(), 1);
        assertThat(awaitRunningReplicas(deployment.containerId(), 1)).isEqualTo(1);
        assertThat(ployer.deployments().list(io.ployer.api.deployment.DeploymentQuery.forApplication(application.id())))
                .as("scaling made no deployment").hasSize(1);

        // the next deployment runs as many replicas as the app was scaled to, not runtime.replicas
        ployer.applications().scale(application.id(), 3);
        repository.commitVersion("v2", "");
        Deployment second = ployer.deployments().awaitCompletion(
                ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
        assertThat(second.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(second.containerId()).isNotEqualTo(deployment.containerId());
        assertThat(fixture.version(name)).isEqualTo("200 v2");
        assertThat(awaitRunningReplicas(second.containerId(), 3)).isEqualTo(3);
    }
}
