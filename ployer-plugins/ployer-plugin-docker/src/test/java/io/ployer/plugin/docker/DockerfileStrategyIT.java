package io.ployer.plugin.docker;

import io.ployer.spi.plugin.PluginContext;
import io.ployer.spi.build.BuildStrategy;
import io.ployer.spi.runtime.ContainerRuntime;
import io.ployer.testkit.Environment;
import io.ployer.testkit.build.BuildStrategyCompatibilityKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The Docker plugin's {@code dockerfile} build strategy against the real dockerd. */
class DockerfileStrategyIT extends BuildStrategyCompatibilityKit {
    @BeforeAll
    static void requireDocker() {
        Environment.requireDocker();
    }

    @Override
    protected BuildStrategy strategy() {
        return new DockerPlugin().buildStrategyFactories().stream().filter(f -> f.name().equals("dockerfile")).findFirst()
                .orElseThrow().create(Map.of(), new PluginContext() {
                });
    }

    @Override
    protected ContainerRuntime createRuntime() {
        return new DockerPlugin().containerRuntimeFactories().get(0).create(Map.of(), new PluginContext() {
        });
    }

    @Override
    protected void writeWorkingSource(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("app"));
        Files.writeString(directory.resolve("app/Dockerfile"), "FROM ployer/busybox:latest\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\n");
        Files.writeString(directory.resolve("app/hello.txt"), "hello from the kit\n");
    }

    @Override
    protected void writeBrokenSource(Path directory) throws IOException {
        Files.createDirectories(directory.resolve("app"));
        Files.writeString(directory.resolve("app/Dockerfile"), "FROM ployer/busybox:latest\nRUN exit 3\n");
    }

    @Override
    protected Map<String, String> buildConfig() {
        return Map.of("context", "app", "dockerfile", "app/Dockerfile");
    }

    @Override
    protected Map<String, String> invalidBuildConfig() {
        return Map.of("dockerfile", "../outside/Dockerfile");
    }
}
