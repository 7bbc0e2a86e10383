package io.ployer.engine.stack;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Paths a Compose file names inside the repository: relative, and never out of the checkout. */
final class StackPaths {
    private StackPaths() {
    }

    /** Checks a configured relative path (the Compose file's), failing INVALID_ARGUMENT on {@code field}. */
    static void relative(String value, String field) {
        if (value.isBlank() || value.length() > 255) {
            throw PloyerException.invalid(field, "must be a relative path of 1 to 255 characters");
        }
        try {
            Path path = Path.of(value);
            if (path.isAbsolute() || path.normalize().startsWith("..") || value.chars().anyMatch(c -> c < 0x20)) {
                throw PloyerException.invalid(field, "must be a path inside the repository (relative, without '..')");
            }
        } catch (InvalidPathException e) {
            throw PloyerException.invalid(field, "must be a path inside the repository (relative, without '..')");
        }
    }

    /** {@code relative} resolved against {@code base}, which must stay inside {@code root}; {@code what} names it. */
    static Path inside(Path root, Path base, String relative, String what) {
        Path resolved;
        try {
            resolved = base.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw failure(what + " '" + relative + "' is not a valid path");
        }
        if (!resolved.startsWith(root.normalize())) {
            throw failure(what + " '" + relative + "' leads out of the repository");
        }
        return resolved;
    }

    /** Reads the Compose file of a checkout: the configured one, or the first default present. */
    static Path composeFile(Path root, String configured) {
        if (configured != null) {
            Path file = inside(root, root, configured, "the Compose file");
            if (!Files.isRegularFile(file)) {
                throw failure("there is no Compose file at " + configured + " in the repository");
            }
            return file;
        }
        for (String name : ComposeStrategy.DEFAULT_FILES) {
            if (Files.isRegularFile(root.resolve(name))) {
                return root.resolve(name);
            }
        }
        throw failure("the repository has none of " + String.join(", ", ComposeStrategy.DEFAULT_FILES)
                + " at its root (set build_config.compose_file to another path)");
    }

    /** An {@code env_file}: KEY=VALUE lines, blank lines and # comments skipped. */
    static Map<String, String> envFile(Path file, String relative) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw failure("the env_file " + relative + " cannot be read from the repository");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int equals = text.indexOf('=');
            String key = (equals < 0 ? text : text.substring(0, equals)).strip();
            String value = equals < 0 ? "" : text.substring(equals + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            if (!key.isEmpty()) {
                values.put(key, value);
            }
        }
        return values;
    }

    static PloyerException failure(String sentence) {
        return new PloyerException(StandardErrorCode.BUILD_FAILURE, sentence);
    }
}
