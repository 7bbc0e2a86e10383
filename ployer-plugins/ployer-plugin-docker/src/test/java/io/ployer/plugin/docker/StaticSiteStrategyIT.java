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

/** The Docker plugin's {@code static} build strategy against the real dockerd. */
class StaticSiteStrategyIT extends BuildStrategyCompatibilityKit {
    @BeforeAll
    static void requireDocker() {
        Environment.requireDocker();
    }

    @Override
    protected BuildStrategy strategy() {
        return new DockerPlugin().buildStrategyFactories().stream().filter(f -> f.name().equals("static")).findFirst()
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
        Files.createDirectories(directory.resolve("public"));
        Files.writeString(directory.resolve("public/index.html"), "<h1>kit</h1>\n");
    }

    @Override
    protected void writeBrokenSource(Path directory) throws IOException {
        Files.writeString(directory.resolve("README"), "no public directory here\n");
    }

    @Override
    protected Map<String, String> buildConfig() {
        return Map.of("directory", "public");
    }

    @Override
    protected Map<String, String> invalidBuildConfig() {
        return Map.of("port", "70000");
    }
}
