package io.ployer.plugin.docker;

import io.ployer.spi.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.testkit.runtime.ContainerRuntimeCompatibilityKit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The Docker plugin against the real dockerd. */
class DockerContainerRuntimeIT extends ContainerRuntimeCompatibilityKit {
    @BeforeAll
    static void requireDocker() {
        Environment.requireDocker();
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return new DockerPlugin().containerRuntimeFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected String baseImage() {
        return "ployer/busybox:latest";
    }
}
