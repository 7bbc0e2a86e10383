package io.ployer.server.http;

import io.ployer.api.PloyerException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads query parameters strictly, answering a 400 that names the parameter (JAX-RS would answer 404). */
public final class QueryParameters {
    private QueryParameters() {
    }

    public static boolean bool(String name, String value) {
        String normalised = value.toLowerCase(Locale.ROOT);
        if (!normalised.equals("true") && !normalised.equals("false")) {
            throw PloyerException.invalid(name, "must be true or false");
        }
        return Boolean.parseBoolean(normalised);
    }

    public static int integer(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw PloyerException.invalid(name, "must be an integer within " + min + ".." + max);
    }

    /** The earliest instant a time parameter may name. */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    /** The latest instant a time parameter may name (later ones overflow millisecond arithmetic). */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** An ISO-8601 instant within the years 0000..9999. */
    public static Instant instant(String name, String value) {
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw PloyerException.invalid(name, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw PloyerException.invalid(name, "must be an instant within the years 0000 to 9999, such as 2026-01-31T12:00:00Z");
        }
        return parsed;
    }
}
