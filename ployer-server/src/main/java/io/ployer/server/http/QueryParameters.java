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

    public static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw PloyerException.invalid(name, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
