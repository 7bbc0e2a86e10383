package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.api.deployment.DeploymentTrigger;
import io.ployer.api.container.ContainerInfo;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.ContainerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine died with a deployment in each state (its record written, as the pipeline writes each
 * status before the step's work): the next start fails it as interrupted, removes what it left in the
 * runtime, and keeps the version that served before serving and routed. No Docker, no sleeping.
 */
class ReconcileAfterCrashTest {
    @TempDir
    Path directory;
    private StateMachineHarness harness;
    private Application app;
    private Deployment serving;

    @BeforeEach
    void aServingVersion() throws InterruptedException {
        harness = new StateMachineHarness(directory);
        app = harness.application("crash");
        serving = harness.awaitEnd(harness.deploy(app));
        assertThat(serving.status()).isEqualTo(DeploymentStatus.RUNNING);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    /** What a run that reached {@code status} left behind when the process died. */
    private Deployment leftIn(DeploymentStatus status) {
        Deployment deployment = new Deployment(UUID.randomUUID().toString(), app.id(), status, DeploymentTrigger.MANUAL, "main",
                null, null, null, null, null, null, null, harness.clock.instant(), harness.clock.instant(), null,
                harness.clock.instant());
        if (status.compareTo(DeploymentStatus.STARTING) >= 0) {
            String image = ContainerNaming.imageTag(app, deployment);
            harness.runtime.addImage(image, ContainerNaming.imageLabels(harness.instanceId(), app));
            String container = harness.runtime.createContainer(new ContainerSpec(ContainerNaming.containerName(app, deployment),
                    image, Map.of(), app.port(), ContainerNaming.containerLabels(harness.instanceId(), app, deployment),
                    app.limits(), app.restartPolicy(), List.of(), null, List.of()));
            harness.runtime.startContainer(container);
            deployment = deployment.withImage(image).withContainer(container, null);
        }
        Deployment written = deployment;
        harness.storage.inTransaction(tx -> {
            tx.deployments().insert(written);
            return null;
        });
        return written;
    }

    @ParameterizedTest
    @EnumSource(value = DeploymentStatus.class, names = {"QUEUED", "CLONING", "BUILDING", "STARTING", "HEALTH_CHECKING", "SWITCHING"})
    void aDeploymentCutOffInAnyWorkingStateEndsInterruptedAndThePreviousVersionServes(DeploymentStatus status) {
        Deployment cutOff = leftIn(status);
        harness.proxy.replaceAll(List.of());

        harness.restart();

        Deployment after = harness.stored(cutOff);
        assertThat(after.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(after.failureReason()).isEqualTo("interrupted: Ployer stopped while the deployment was " + status);
        assertThat(after.finishedAt()).isNotNull();
        assertThat(harness.stored(serving).status()).isEqualTo(DeploymentStatus.RUNNING);
        List<ContainerInfo> containers = harness.runtime.containers().stream()
                .filter(container -> app.id().equals(container.labels().get(ContainerRuntime.LABEL_APP))).toList();
        assertThat(containers).extracting(ContainerInfo::id).containsExactly(serving.containerId());
        assertThat(harness.proxy.route(app.id()).orElseThrow().upstreams().get(0).address()).isEqualTo(serving.endpoint());
        assertThat(harness.changes()).anySatisfy(change -> {
            assertThat(change.deploymentId()).isEqualTo(cutOff.id());
            assertThat(change.from()).isEqualTo(status);
            assertThat(change.to()).isEqualTo(DeploymentStatus.FAILED);
        });
    }

    @Test
    void aServingContainerStoppedWhileTheEngineWasDownIsStartedAgain() {
        harness.runtime.stopBehindTheBack(serving.containerId());

        harness.restart();

        assertThat(harness.runtime.inspectContainer(serving.containerId()).orElseThrow().running()).isTrue();
        assertThat(harness.stored(serving).status()).isEqualTo(DeploymentStatus.RUNNING);
        assertThat(harness.proxy.route(app.id())).isPresent();
    }

    @Test
    void theNextStartDeploysNormallyAfterTheCrash() throws InterruptedException {
        leftIn(DeploymentStatus.BUILDING);
        harness.restart();
        assertThat(harness.awaitEnd(harness.deploy(app)).status()).isEqualTo(DeploymentStatus.RUNNING);
    }
}
