package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every source file of the engine stays small enough to read in one sitting: at most 400 lines. */
class EngineSourceSizeTest {
    private static final int MOST_LINES = 400;

    /**
     * Files not split yet, each capped at the size it had when this test came (so it cannot grow);
     * an entry goes when its file is split. Empty is the goal.
     */
    private static final Map<String, Integer> NOT_SPLIT_YET = Map.of();

    @Test
    void everySourceFileOfTheEngineHasAtMost400Lines() throws IOException {
        Path sources = Path.of("src/main/java/io/ployer/engine");
        assertThat(sources).isDirectory();
        List<Path> files;
        try (Stream<Path> listing = Files.walk(sources)) {
            files = listing.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(100);
        for (Path file : files) {
            String name = sources.relativize(file).toString();
            int lines = Files.readAllLines(file).size();
            Integer cap = NOT_SPLIT_YET.get(name);
            if (cap == null) {
                assertThat(lines).as("lines of %s", name).isLessThanOrEqualTo(MOST_LINES);
            } else {
                assertThat(lines).as("lines of %s (not split yet: it may not grow; remove its entry once split)", name)
                        .isGreaterThan(MOST_LINES).isLessThanOrEqualTo(cap);
            }
        }
    }
}
