package io.ployer.server.http;

import io.ployer.api.PloyerException;
import io.ployer.spi.plugin.PluginConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The HTTP server's own settings.
 *
 * @param requestsPerMinute per-client rate limit (0 turns it off)
 * @param corsOrigins       origins allowed to call the API from a browser ({@code *} for any)
 * @param responseCacheTtl  how long a {@link CachedResponse} answer may be served again while storage
 *                          is unchanged (zero turns the {@link ResponseCache} off)
 */
public record ServerSettings(int requestsPerMinute, List<String> corsOrigins, Duration responseCacheTtl) {
    /** The default time to live of cached answers: the bound on seeing another process's writes. */
    public static final Duration DEFAULT_RESPONSE_CACHE_TTL = Duration.ofSeconds(2);

    public ServerSettings {
        corsOrigins = List.copyOf(corsOrigins);
        if (responseCacheTtl == null || responseCacheTtl.isNegative()) {
            throw PloyerException.invalid("PLOYER_RESPONSE_CACHE_TTL", "must be a duration of zero or more");
        }
    }

    /** With the default response cache. */
    public ServerSettings(int requestsPerMinute, List<String> corsOrigins) {
        this(requestsPerMinute, corsOrigins, DEFAULT_RESPONSE_CACHE_TTL);
    }

    /** 300 requests a minute per client, no cross-origin callers, answers cached for 2 s. */
    public static ServerSettings defaults() {
        return new ServerSettings(300, List.of());
    }

    /**
     * From {@code PLOYER_RATE_LIMIT}, {@code PLOYER_CORS_ORIGINS} (comma-separated) and
     * {@code PLOYER_RESPONSE_CACHE_TTL} ({@code 2s}, {@code 500ms}, {@code 0} for off).
     */
    public static ServerSettings fromEnvironment(Map<String, String> environment) {
        String rate = environment.getOrDefault("PLOYER_RATE_LIMIT", "300").strip();
        int limit = rate.matches("\\d{1,9}") ? Integer.parseInt(rate) : -1;
        if (limit < 0) {
            throw PloyerException.invalid("PLOYER_RATE_LIMIT", "must be a whole number of requests a minute (0 for no limit)");
        }
        String ttlText = environment.getOrDefault("PLOYER_RESPONSE_CACHE_TTL", "").strip();
        Duration ttl = ttlText.isEmpty() ? DEFAULT_RESPONSE_CACHE_TTL
                : ttlText.equals("0") ? Duration.ZERO : PluginConfig.parseDuration(ttlText);
        if (ttl == null) {
            throw PloyerException.invalid("PLOYER_RESPONSE_CACHE_TTL", "must be a duration such as 2s or 500ms, or 0 for off");
        }
        String origins = environment.getOrDefault("PLOYER_CORS_ORIGINS", "");
        return new ServerSettings(limit, origins.isBlank() ? List.of()
                : java.util.Arrays.stream(origins.split(",")).map(String::strip).filter(origin -> !origin.isEmpty()).toList(), ttl);
    }
}
