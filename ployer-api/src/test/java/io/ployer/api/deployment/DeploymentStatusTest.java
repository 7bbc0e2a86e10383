package io.ployer.api.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one transition table: every path the pipeline takes is allowed, nothing leaves an end state. */
class DeploymentStatusTest {

    private static void assertPath(DeploymentStatus... path) {
        for (int i = 1; i < path.length; i++) {
            assertThat(path[i - 1].canMoveTo(path[i])).as(path[i - 1] + " -> " + path[i]).isTrue();
        }
    }

    @Test
    void aPrebuiltImageGoesFromQueuedStraightToBuilding() {
        assertPath(DeploymentStatus.QUEUED, DeploymentStatus.BUILDING, DeploymentStatus.STARTING,
                DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING, DeploymentStatus.RUNNING, DeploymentStatus.SUPERSEDED);
    }

    @Test
    void sourceBuildsAndRollbacksKeepTheirPaths() {
        assertPath(DeploymentStatus.QUEUED, DeploymentStatus.CLONING, DeploymentStatus.BUILDING, DeploymentStatus.STARTING,
                DeploymentStatus.HEALTH_CHECKING, DeploymentStatus.SWITCHING, DeploymentStatus.RUNNING);
        assertPath(DeploymentStatus.QUEUED, DeploymentStatus.STARTING);
    }

    @Test
    void everyActiveStateMayFailOrBeCancelledAndEndStatesAreFinal() {
        for (DeploymentStatus state : DeploymentStatus.values()) {
            if (state.isActive()) {
                assertThat(state.successors()).as(state.name()).contains(DeploymentStatus.FAILED, DeploymentStatus.CANCELLED);
            }
            if (state.isTerminal()) {
                assertThat(state.successors()).as(state.name()).isEmpty();
            }
        }
        assertThat(DeploymentStatus.CLONING.canMoveTo(DeploymentStatus.QUEUED)).isFalse();
        assertThat(DeploymentStatus.BUILDING.canMoveTo(DeploymentStatus.CLONING)).isFalse();
        assertThat(List.of(DeploymentStatus.values())).allSatisfy(state -> assertThat(state.successors()).isUnmodifiable());
    }
}
