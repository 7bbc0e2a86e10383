package io.ployer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ployer.api.PloyerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every key in README.md's configuration table is settable through its {@code PLOYER_<KEY>}
 * variable. The rows are read from the README, so a new row is covered without a new test.
 */
class ReadmeConfigurationTableTest {
    private static final Pattern KEY = Pattern.compile("`([a-z][a-z0-9.*-]*)`");
    /** Values tried in turn until the engine's validation accepts one for the key. */
    private static final List<String> CANDIDATE_VALUES = List.of("17s", "7", "4096", "true", "sqlite", "/srv/ployer-files",
            "s3-store.s3=ployer-test/s3proxy:latest");

    static Path readme() {
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve("README.md");
            if (Files.exists(candidate) && Files.exists(directory.resolve("ployer-engine"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }

    /** The keys in the first column of the table under "## Configuration". */
    static List<String> tableKeys() throws IOException {
        List<String> lines = Files.readAllLines(readme());
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        List<String> keys = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String firstColumn = line.split("\\|")[1];
            if (firstColumn.strip().equals("key") || firstColumn.strip().startsWith("---")) {
                continue;
            }
            // Only the keys before a parenthesis: "(`PLOYER_SECRET`)" and "(`--data-dir`)" are the ways to set them.
            int parenthesis = firstColumn.indexOf('(');
            Matcher matcher = KEY.matcher(parenthesis < 0 ? firstColumn : firstColumn.substring(0, parenthesis));
            while (matcher.find()) {
                keys.add(matcher.group(1));
            }
        }
        return keys;
    }

    static String variable(String key) {
        return "PLOYER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Test
    void theTableListsTheKeysAUserNeeds() throws IOException {
        assertThat(tableKeys()).contains("secret", "health.tick", "stats.interval", "servers.check-interval",
                "proxy.http-port", "proxy.https-port", "proxy.listen-host", "proxy.http-only", "data-dir");
    }

    @TestFactory
    Stream<DynamicTest> everyKeyOfTheTableIsSettableByItsEnvironmentVariable() throws IOException {
        return tableKeys().stream().map(key -> DynamicTest.dynamicTest(key + " from " + variable(key.replace("*", "example-key")),
                () -> checkSettable(key)));
    }

    private static void checkSettable(String key) {
        if (key.equals("data-dir")) {
            Path directory = Path.of("/tmp/ployer-readme-table-data");
            EngineBuilder builder = new EngineBuilder();
            builder.environment(Map.of(variable(key), directory.toString()));
            assertThat(builder.engineConfig().dataDirectory()).isEqualTo(directory);
            return;
        }
        if (key.endsWith(".*")) {
            String role = key.substring(0, key.length() - 2);
            EngineBuilder builder = new EngineBuilder();
            builder.environment(Map.of(variable(role + ".example-key"), "a value"));
            assertThat(builder.engineConfig().pluginConfig(role)).containsEntry("example-key", "a value");
            return;
        }
        List<String> refused = new ArrayList<>();
        for (String value : CANDIDATE_VALUES) {
            EngineBuilder builder = new EngineBuilder();
            builder.environment(Map.of(variable(key), value));
            EngineConfig config;
            try {
                config = builder.engineConfig();
            } catch (PloyerException invalid) {
                refused.add(value + ": " + invalid.getMessage());
                continue;
            }
            assertThat(config.raw()).as("%s=%s reaches the configuration as %s", variable(key), value, key)
                    .containsEntry(key, value);
            return;
        }
        fail("no candidate value was accepted for " + key + ": " + refused);
    }
}
