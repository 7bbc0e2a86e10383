package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.application.Application;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentStatus;
import io.ployer.engine.container.ForwardingContainerRuntime;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RuntimeCapability;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling an application's serving release without a redeploy: handed to a runtime that declares SCALES, refused with
 * INVALID_STATE by one that does not (and when nothing runs), replicas outside 1..100 refused before anything else.
 */
class ApplicationScaleTest {
    @TempDir
    Path directory;
    private StateMachineHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The testing runtime, declaring SCALES and recording each scale. */
    private static final class ScalingRuntime extends ForwardingContainerRuntime {
        final List<String> scaled = new CopyOnWriteArrayList<>();

        ScalingRuntime(ContainerRuntime delegate) {
            super(delegate);
        }

        @Override
        public Set<RuntimeCapability> capabilities() {
            return Set.of(RuntimeCapability.SCALES);
        }

        @Override
        public void scale(String containerId, int replicas) {
            scaled.add(containerId + "=" + replicas);
        }
    }

    private Deployment deployRunning(Application application) throws InterruptedException {
        Deployment ended = harness.awaitEnd(harness.deploy(application));
        assertThat(ended.status()).isEqualTo(DeploymentStatus.RUNNING);
        return ended;
    }

    @Test
    void aRuntimeThatScalesScalesTheServingContainerWithoutANewDeployment() throws Exception {
        harness = new StateMachineHarness(directory);
        Application app = harness.application("scaled");
        Deployment serving = deployRunning(app);
        int deployments = harness.storage.deployments().findByApplicationAndStatus(app.id(),
                java.util.EnumSet.allOf(DeploymentStatus.class)).size();
        ScalingRuntime scaling = new ScalingRuntime(harness.runtime);
        DeploymentPipeline pipeline = harness.pipelineOn(scaling);
        try {
            pipeline.scaleApplication(app.id(), 3);
            pipeline.scaleApplication(app.id(), 1);
        } finally {
            pipeline.close();
        }
        assertThat(scaling.scaled).containsExactly(serving.containerId() + "=3", serving.containerId() + "=1");
        assertThat(harness.storage.deployments().findByApplicationAndStatus(app.id(),
                java.util.EnumSet.allOf(DeploymentStatus.class))).hasSize(deployments);
    }

    @Test
    void aRuntimeThatCannotScaleRefusesWithASentence() throws Exception {
        harness = new StateMachineHarness(directory);
        Application app = harness.application("single");
        deployRunning(app);
        assertThatThrownBy(() -> harness.pipeline.scaleApplication(app.id(), 3))
                .isInstanceOfSatisfying(PloyerException.class, e -> {
                    assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("cannot scale");
                });
    }

    @Test
    void nothingDeployedIsRefusedAndReplicasOutOfRangeAreRefusedFirst() {
        harness = new StateMachineHarness(directory);
        Application app = harness.application("empty");
        ScalingRuntime scaling = new ScalingRuntime(harness.runtime);
        DeploymentPipeline pipeline = harness.pipelineOn(scaling);
        try {
            assertThatThrownBy(() -> pipeline.scaleApplication(app.id(), 2))
                    .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_STATE));
        } finally {
            pipeline.close();
        }
        for (int replicas : new int[] {0, -1, 101}) {
            assertThatThrownBy(() -> harness.applications.scale(app.id(), replicas))
                    .isInstanceOfSatisfying(PloyerException.class, e -> {
                        assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("replicas", "must be a whole number between 1 and 100");
                    });
        }
        assertThat(scaling.scaled).isEmpty();
    }
}
