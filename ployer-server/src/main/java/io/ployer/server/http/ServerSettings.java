package io.ployer.server.http;

import java.util.List;
import java.util.Map;

/**
 * The HTTP server's own settings.
 *
 * @param requestsPerMinute per-client rate limit (0 turns it off)
 * @param corsOrigins       origins allowed to call the API from a browser ({@code *} for any)
 */
public record ServerSettings(int requestsPerMinute, List<String> corsOrigins) {
    public ServerSettings {
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** 300 requests a minute per client, no cross-origin callers. */
    public static ServerSettings defaults() {
        return new ServerSettings(300, List.of());
    }

    /** From {@code PLOYER_RATE_LIMIT} and {@code PLOYER_CORS_ORIGINS} (comma-separated). */
    public static ServerSettings fromEnvironment(Map<String, String> environment) {
        int limit = Integer.parseInt(environment.getOrDefault("PLOYER_RATE_LIMIT", "300").strip());
        String origins = environment.getOrDefault("PLOYER_CORS_ORIGINS", "");
        return new ServerSettings(limit, origins.isBlank() ? List.of()
                : java.util.Arrays.stream(origins.split(",")).map(String::strip).filter(origin -> !origin.isEmpty()).toList());
    }
}
