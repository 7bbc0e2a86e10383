package io.ployer.plugin.docker.internal;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Docker answers to a failed pull (a JSON body behind a status line, or an error in the
 * progress stream) into a sentence for a person: "The image x:1 could not be pulled: not found."
 * The raw text goes to the server log, never into the reason.
 */
final class PullFailures {
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PullFailures() {
    }

    /** The registry host of an image reference, or Docker Hub when it names none. */
    static String registry(String imageRef) {
        int slash = imageRef.indexOf('/');
        if (slash > 0) {
            String first = imageRef.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "Docker Hub";
    }

    static PloyerException describe(String imageRef, String raw) {
        String text = raw == null ? "" : raw;
        Matcher json = JSON_MESSAGE.matcher(text);
        if (json.find()) {
            text = json.group(1).replace("\\\"", "\"");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String registry = registry(imageRef);
        String prefix = "The image " + imageRef + " could not be pulled: ";
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("no basic auth")
                || lower.contains("denied") || lower.contains("incorrect username or password")) {
            return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, prefix + "the registry " + registry
                    + " refused access; check the credentials configured for it (see README, Prebuilt images).");
        }
        if (lower.contains("not found") || lower.contains("manifest unknown") || lower.contains("name unknown")) {
            return new PloyerException(StandardErrorCode.NOT_FOUND, prefix + "not found.");
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("i/o timeout")
                || lower.contains("dial tcp") || lower.contains("network is unreachable")) {
            return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, prefix + "the registry " + registry
                    + " could not be reached.");
        }
        if (lower.contains("http response to https client") || lower.contains("certificate")) {
            return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, prefix + "Docker could not talk securely to the registry "
                    + registry + " (an HTTP-only registry must be listed in Docker's insecure-registries).");
        }
        return new PloyerException(StandardErrorCode.RUNTIME_FAILURE, prefix + "the registry " + registry
                + " refused it (the details are in the server log).");
    }
}
