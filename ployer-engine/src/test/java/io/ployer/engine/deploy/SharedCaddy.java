package io.ployer.engine.deploy;

import io.ployer.plugin.caddy.testing.CaddyProcess;
import io.ployer.testkit.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Caddy for a test class of the pipeline's Docker-backed tests, and the fixture that builds
 * engines on it: {@code @RegisterExtension static final SharedCaddy CADDY = new SharedCaddy();}.
 * Docker is required first (skipped with a reason elsewhere, failed when {@code PLOYER_REQUIRE_DOCKER}).
 */
final class SharedCaddy implements BeforeAllCallback, AfterAllCallback {
    private Path directory;
    private CaddyProcess caddy;
    private PipelineFixture fixture;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Environment.requireDocker();
        directory = Files.createTempDirectory("ployer-caddy-");
        caddy = CaddyProcess.start(directory.resolve("caddy"));
        fixture = new PipelineFixture(caddy);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (caddy != null) {
            caddy.close();
        }
        if (directory != null) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    CaddyProcess caddy() {
        return caddy;
    }

    PipelineFixture fixture() {
        return fixture;
    }
}
