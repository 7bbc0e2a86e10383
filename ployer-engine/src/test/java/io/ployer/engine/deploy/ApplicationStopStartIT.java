package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.Administration.ReconcileStatus;
import io.ployer.api.Ployer;
import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.ApplicationStatus;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.container.ContainerInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping an application removes its route and stops its container, and nothing (the reconciler, the
 * health monitor) brings either back; starting it serves it again. Real Docker and Caddy.
 */
class ApplicationStopStartIT {
    @RegisterExtension
    static final SharedCaddy CADDY = new SharedCaddy();

    @TempDir
    Path data;
    Ployer ployer;
    String applicationId;


    @AfterEach
    void cleanUp() {
        if (ployer != null) {
            ployer.close();
        }
        if (applicationId != null) {
            PipelineFixture.removeEverythingOf(applicationId);
        }
    }

    @Test
    void stopRemovesTheRouteAndStopsTheContainerUntilStartBringsBothBack() throws Exception {
        ployer = CADDY.fixture().builder(data).config("reconcile.interval", "200ms").build();
        ployer.start();
        AppRepository repository = AppRepository.create(data.resolve("repo"));
        repository.commitVersion("v1", "");
        String name = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        Application application = ployer.applications().create(ApplicationSpec.named(name).withGit(repository.url(), "main"));
        applicationId = application.id();

        assertThatThrownBy(() -> ployer.applications().stop(application.id())).isInstanceOfSatisfying(PloyerException.class,
                e -> assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_STATE));

        Deployment deployment = ployer.deployments().awaitCompletion(
                ployer.deployments().deploy(DeploymentRequest.of(application.id())).id(), Duration.ofMinutes(3));
        assertThat(deployment.status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(CADDY.fixture().version(name)).isEqualTo("200 v1");

        Application stopped = ployer.applications().stop(application.id());
        assertThat(stopped.status()).isEqualTo(ApplicationStatus.STOPPED);
        assertThat(ployer.applications().stop(application.id()).status()).isEqualTo(ApplicationStatus.STOPPED);
        assertThat(CADDY.fixture().version(name)).isNotEqualTo("200 v1");
        assertThat(running(deployment)).isFalse();

        // two reconciler passes later, nothing came back
        awaitReconcilePassesAfter(Instant.now());
        assertThat(running(deployment)).as("the reconciler left the stopped container alone").isFalse();
        assertThat(CADDY.fixture().version(name)).as("the reconciler did not put the route back").isNotEqualTo("200 v1");
        assertThat(ployer.applications().get(application.id()).status()).isEqualTo(ApplicationStatus.STOPPED);

        Application started = ployer.applications().start(application.id());
        assertThat(started.status()).isEqualTo(ApplicationStatus.RUNNING);
        assertThat(running(deployment)).isTrue();
        assertThat(awaitServed(name)).isEqualTo("200 v1");
        assertThat(ployer.applications().start(application.id()).status()).isEqualTo(ApplicationStatus.RUNNING);
    }

    private static boolean running(Deployment deployment) {
        return PipelineFixture.containersOf(deployment.applicationId()).stream()
                .filter(container -> container.id().equals(deployment.containerId())).anyMatch(ContainerInfo::running);
    }

    private void awaitReconcilePassesAfter(Instant after) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        int passes = 0;
        Instant last = after;
        while (passes < 2 && Instant.now().isBefore(deadline)) {
            ReconcileStatus status = ployer.administration().reconcileStatus().orElse(null);
            if (status != null && status.checkedAt().isAfter(last)) {
                passes++;
                last = status.checkedAt();
            }
            Thread.sleep(50);
        }
        assertThat(passes).as("reconciler passes after the stop").isEqualTo(2);
    }

    /** The app's answer once its container listens again (the start does not wait for the program). */
    private String awaitServed(String name) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        String answer = CADDY.fixture().version(name);
        while (!answer.equals("200 v1") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            answer = CADDY.fixture().version(name);
        }
        return answer;
    }
}
