package io.ployer.plugin.docker.internal;

import io.ployer.api.PloyerException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks that paths taken from build config stay inside the source tree. */
final class SourcePaths {
    private SourcePaths() {
    }

    /** Validates a relative path from build config; field {@code build_config.<key>}. */
    static void validate(String key, String value) {
        String field = "build_config." + key;
        if (value == null || value.isBlank()) {
            throw PloyerException.invalid(field, "must not be empty");
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw PloyerException.invalid(field, "is not a valid path");
        }
        if (path.isAbsolute() || value.startsWith("/") || value.startsWith("-") || path.normalize().startsWith("..")
                || value.contains("\0")) {
            throw PloyerException.invalid(field, "must be a relative path inside the repository");
        }
    }

    /** Resolves a validated relative path below {@code root}, refusing anything that escapes it. */
    static Path resolve(Path root, String key, String value) {
        validate(key, value);
        Path resolved = root.resolve(value).normalize();
        if (!resolved.startsWith(root.normalize())) {
            throw PloyerException.invalid("build_config." + key, "must stay inside the repository");
        }
        return resolved;
    }
}
