package io.ployer.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.container.ClusterNode;
import io.ployer.api.container.ContainerService;
import io.ployer.api.container.Replica;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.spi.runtime.RuntimeCapability;
import io.ployer.testkit.TestingClock;
import io.ployer.testkit.runtime.TestingContainerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cluster nodes and replicas through the container service: from a runtime that scales, refused by one that does not. */
class ClusterViewTest {
    private static final ClusterNode NODE = new ClusterNode("n1", "vm", "manager", "ready", "active", "127.0.0.1",
            Map.of("zone", "eu"), 2_000_000_000L, 1L << 30);

    @Test
    void aSingleMachineRuntimeRefusesWithASentence() {
        ContainerService containers = new DefaultContainerService(Optional.of(new TestingContainerRuntime(TestingClock.start())),
                Duration.ofSeconds(1));
        assertThatThrownBy(containers::nodes).isInstanceOfSatisfying(PloyerException.class, e -> {
            assertThat(e.code()).isEqualTo(StandardErrorCode.INVALID_STATE);
            assertThat(e.getMessage()).contains("no cluster nodes");
        });
    }

    @Test
    void aRuntimeThatScalesListsItsNodes() {
        ContainerRuntime clustered = new ForwardingContainerRuntime(new TestingContainerRuntime(TestingClock.start())) {
            @Override
            public Set<RuntimeCapability> capabilities() {
                return Set.of(RuntimeCapability.SCALES);
            }

            @Override
            public List<ClusterNode> nodes() {
                return List.of(NODE);
            }

            @Override
            public List<Replica> replicas(String containerId) {
                return List.of();
            }
        };
        ContainerService containers = new DefaultContainerService(Optional.of(clustered), Duration.ofSeconds(1));
        assertThat(containers.nodes()).containsExactly(NODE);
        assertThatThrownBy(() -> containers.replicas("absent"))
                .isInstanceOfSatisfying(PloyerException.class, e -> assertThat(e.code()).isEqualTo(StandardErrorCode.NOT_FOUND));
    }
}
