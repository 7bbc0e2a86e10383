package io.ployer.engine.application;

import io.ployer.api.PloyerException;
import io.ployer.api.application.ResourceLimits;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The validation rules of applications, environment variables and domains. Each check throws an
 * INVALID_ARGUMENT {@link PloyerException} naming the field and the rule; none writes anything.
 */
public final class ApplicationRules {
    /** A DNS label: the app name doubles as its subdomain and container name prefix. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final Pattern SERVICE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
    private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern CONFIG_KEY = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    static final int MAX_ENV_KEY_LENGTH = 256;
    static final int MAX_ENV_VALUE_BYTES = 64 * 1024;
    static final int MAX_CONFIG_VALUE_LENGTH = 1024;
    static final int MAX_BUILD_CONFIG_ENTRIES = 32;
    static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;

    private ApplicationRules() {
    }

    static void name(String name) {
        required("name", name);
        if (!NAME.matcher(name).matches()) {
            throw PloyerException.invalid("name",
                    "must be a DNS label: lower-case letters, digits and '-', 1-63 characters, not starting or ending with '-'");
        }
    }

    static void port(Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            throw PloyerException.invalid("port", "must be within 1..65535");
        }
    }

    static void limits(ResourceLimits limits) {
        if (limits == null) {
            return;
        }
        if (limits.memoryBytes() != null && (limits.memoryBytes() < MIN_MEMORY_BYTES || limits.memoryBytes() > (1L << 50))) {
            throw PloyerException.invalid("limits.memory_bytes", "must be at least 6 MiB (6291456 bytes) and at most 1 PiB");
        }
        if (limits.cpus() != null && (limits.cpus().isNaN() || limits.cpus() <= 0 || limits.cpus() > 1024)) {
            throw PloyerException.invalid("limits.cpus", "must be greater than 0 and at most 1024");
        }
        if (limits.memoryReservationBytes() != null && (limits.memoryReservationBytes() < MIN_MEMORY_BYTES
                || limits.memoryReservationBytes() > (1L << 50))) {
            throw PloyerException.invalid("limits.memory_reservation_bytes",
                    "must be at least 6 MiB (6291456 bytes) and at most 1 PiB");
        }
        if (limits.memoryReservationBytes() != null && limits.memoryBytes() != null
                && limits.memoryReservationBytes() > limits.memoryBytes()) {
            throw PloyerException.invalid("limits.memory_reservation_bytes", "must not be more than limits.memory_bytes");
        }
        if (limits.pids() != null && (limits.pids() < 8 || limits.pids() > 4_194_304)) {
            throw PloyerException.invalid("limits.pids", "must be within 8..4194304");
        }
    }

    static void buildConfigShape(Map<String, String> config) {
        if (config == null) {
            return;
        }
        if (config.size() > MAX_BUILD_CONFIG_ENTRIES) {
            throw PloyerException.invalid("build_config", "at most " + MAX_BUILD_CONFIG_ENTRIES + " entries");
        }
        config.forEach((key, value) -> {
            if (key == null || !CONFIG_KEY.matcher(key).matches()) {
                throw PloyerException.invalid("build_config", "keys must match " + CONFIG_KEY.pattern());
            }
            if (value == null || value.length() > MAX_CONFIG_VALUE_LENGTH || hasControl(value)) {
                throw PloyerException.invalid("build_config." + key,
                        "must be at most " + MAX_CONFIG_VALUE_LENGTH + " characters without control characters");
            }
        });
    }

    public static void envKey(String key) {
        required("key", key);
        if (key.length() > MAX_ENV_KEY_LENGTH || !ENV_KEY.matcher(key).matches()) {
            throw PloyerException.invalid("key",
                    "must match [A-Za-z_][A-Za-z0-9_]* and be at most " + MAX_ENV_KEY_LENGTH + " characters");
        }
    }

    public static void envValue(String value) {
        if (value == null) {
            throw PloyerException.invalid("value", "is required");
        }
        if (value.indexOf('\0') >= 0) {
            throw PloyerException.invalid("value", "must not contain NUL characters");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ENV_VALUE_BYTES) {
            throw PloyerException.invalid("value", "must be at most 64 KiB");
        }
    }

    /**
     * Normalises a hostname (lower-case, IDNA to ASCII) and checks it: a valid DNS name of at
     * least two labels, no IP literal, a wildcard only as the first label and only when allowed.
     */
    public static String hostname(String input, boolean allowWildcards) {
        required("hostname", input);
        String value = input.strip();
        if (value.length() > 253 * 4 || hasControl(value) || value.chars().anyMatch(Character::isWhitespace)) {
            throw PloyerException.invalid("hostname", "must be a hostname without spaces or control characters");
        }
        if (value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.contains(":") || value.startsWith("[") || IPV4.matcher(value).matches()) {
            throw PloyerException.invalid("hostname", "must be a DNS name, not an IP address");
        }
        boolean wildcard = value.startsWith("*.");
        if (wildcard && !allowWildcards) {
            throw PloyerException.invalid("hostname", "wildcard domains are not enabled (domains.allow-wildcards)");
        }
        String rest = wildcard ? value.substring(2) : value;
        String ascii;
        try {
            ascii = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw PloyerException.invalid("hostname", "is not a valid internationalised domain name");
        }
        String[] labels = ascii.split("\\.", -1);
        if (ascii.length() > 253 || labels.length < 2) {
            throw PloyerException.invalid("hostname", "must have at least two labels and at most 253 characters");
        }
        for (String label : labels) {
            if (!HOST_LABEL.matcher(label).matches()) {
                throw PloyerException.invalid("hostname",
                        "each label must be 1-63 letters, digits or '-', not starting or ending with '-'");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            throw PloyerException.invalid("hostname", "the top-level label must not be numeric");
        }
        return wildcard ? "*." + ascii : ascii;
    }

    static void maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw PloyerException.invalid(field, "must be at most " + max + " characters");
        }
    }

    static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw PloyerException.invalid(field, "is required");
        }
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new io.ployer.api.PloyerException(io.ployer.api.StandardErrorCode.INTERNAL_ERROR, "no default");
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
