package io.ployer.plugin.swarm;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.testkit.runtime.ContainerRuntimeCompatibilityKit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Swarm plugin against a single-node swarm on the real dockerd: every container is a one-replica service. */
class SwarmContainerRuntimeIT extends ContainerRuntimeCompatibilityKit {
    @BeforeAll
    static void requireSwarm() {
        Environment.requireDocker();
        LocalSwarm.join();
    }

    @AfterAll
    static void leaveSwarm() {
        LocalSwarm.leave();
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return new SwarmPlugin().containerRuntimeFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected String baseImage() {
        return "ployer/busybox:latest";
    }
}
