package io.ployer.plugin.docker;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.testkit.runtime.ContainerRuntimeCompatibilityKit;
import io.ployer.testkit.runtime.LocalRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The Docker plugin against the real dockerd. */
class DockerContainerRuntimeIT extends ContainerRuntimeCompatibilityKit {
    @TempDir
    static Path registryDirectory;
    static LocalRegistry registry;

    @BeforeAll
    static void requireDocker() {
        Environment.requireDocker();
        registry = LocalRegistry.start(registryDirectory);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    protected String registry() {
        return registry.host();
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
