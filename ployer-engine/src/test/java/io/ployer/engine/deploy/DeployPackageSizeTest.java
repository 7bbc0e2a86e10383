package io.ployer.engine.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each part of the deployment pipeline stays small enough to read in one sitting. */
class DeployPackageSizeTest {
    private static final int MOST_LINES = 400;

    @Test
    void everySourceFileOfTheDeployPackageHasAtMost400Lines() throws IOException {
        Path sources = Path.of("src/main/java/io/ployer/engine/deploy");
        assertThat(sources).isDirectory();
        List<Path> files;
        try (Stream<Path> listing = Files.list(sources)) {
            files = listing.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(10);
        for (Path file : files) {
            assertThat(Files.readAllLines(file)).as("lines of %s", file.getFileName()).hasSizeLessThanOrEqualTo(MOST_LINES);
        }
    }
}
