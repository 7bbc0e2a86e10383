package io.ployer.spi.plugin;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a plugin's string configuration into typed values, collecting every problem instead of
 * stopping at the first; {@link #validate()} then fails once with all of them. Unknown keys are
 * problems too.
 *
 * <pre>{@code
 * PluginConfig config = new PluginConfig("proxy caddy", raw, Set.of("admin-address", "http-only"));
 * String admin = config.string("admin-address", "http://127.0.0.1:2019");
 * boolean httpOnly = config.bool("http-only", false);
 * config.validate();
 * }</pre>
 */
public final class PluginConfig {
    private final String owner;
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param owner     who the config is for, used in messages (e.g. {@code proxy caddy})
     * @param values    the raw entries
     * @param knownKeys the accepted keys
     */
    public PluginConfig(String owner, Map<String, String> values, Set<String> knownKeys) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.values = Map.copyOf(values);
        for (String key : new TreeSet<>(values.keySet())) {
            if (!knownKeys.contains(key)) {
                problems.add(key + ": unknown key (known: " + String.join(", ", new TreeSet<>(knownKeys)) + ")");
            }
        }
    }

    public String string(String key, String defaultValue) {
        String value = values.get(key);
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    /** A required string; records a problem and returns {@code null} when absent. */
    public String requiredString(String key) {
        String value = string(key, null);
        if (value == null) {
            problems.add(key + ": required");
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        problems.add(key + ": must be true or false");
        return defaultValue;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(key + ": must be within " + min + ".." + max);
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(key + ": must be an integer");
            return defaultValue;
        }
    }

    /** A duration as ISO-8601 ({@code PT10S}) or a number with unit {@code ms}, {@code s}, {@code m}, {@code h}. */
    public Duration duration(String key, Duration defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Duration parsed = parseDuration(value);
        if (parsed == null || parsed.isNegative()) {
            problems.add(key + ": must be a duration such as 10s, 500ms, 2m or PT10S");
            return defaultValue;
        }
        return parsed;
    }

    /** Records a problem found by the plugin's own checks. */
    public void problem(String key, String rule) {
        problems.add(key + ": " + rule);
    }

    /** The problems found so far. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Fails with one CONFIGURATION error listing every problem, if there is any. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new PloyerException(StandardErrorCode.CONFIGURATION,
                    "invalid configuration of " + owner + ": " + String.join("; ", problems));
        }
    }

    /** Parses {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT10S}); {@code null} when the text is none of these. */
    public static Duration parseDuration(String text) {
        String value = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (value.startsWith("pt") || value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
