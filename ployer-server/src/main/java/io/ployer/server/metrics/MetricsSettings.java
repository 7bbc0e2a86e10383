package io.ployer.server.metrics;

import io.ployer.api.PloyerException;
import java.util.Map;

/**
 * Where {@code /metrics} is served. By default not on the public listener: on a listener of its own
 * ({@code PLOYER_METRICS_HOST}, 127.0.0.1, and {@code PLOYER_METRICS_PORT}, 9464, {@code off} for
 * none), which a Prometheus on the same host or network namespace scrapes without credentials. The
 * public listener answers {@code /metrics} only when {@code PLOYER_METRICS_TOKEN} is set, and only
 * to {@code Authorization: Bearer <that token>}.
 *
 * @param host  address of the metrics listener
 * @param port  port of the metrics listener; 0 picks a free one, {@link #OFF} means no listener
 * @param token the bearer token that opens {@code /metrics} on the public listener; null keeps it closed there
 */
public record MetricsSettings(String host, int port, String token) {
    /** The port that means: no metrics listener. */
    public static final int OFF = -1;
    /** The default metrics port (Prometheus' registry of default ports lists 9464 for such exporters). */
    public static final int DEFAULT_PORT = 9464;
    /** The shortest token accepted, so it cannot be guessed. */
    static final int MIN_TOKEN_LENGTH = 16;

    public MetricsSettings {
        if (port < OFF || port > 65_535) {
            throw PloyerException.invalid("PLOYER_METRICS_PORT", "must be a port number from 1 to 65535, or off");
        }
        if (port != OFF && (host == null || host.isBlank())) {
            throw PloyerException.invalid("PLOYER_METRICS_HOST", "must be an address to listen on, such as 127.0.0.1");
        }
        if (token != null && (token.length() < MIN_TOKEN_LENGTH || token.length() > 512
                || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f))) {
            throw PloyerException.invalid("PLOYER_METRICS_TOKEN", "must be " + MIN_TOKEN_LENGTH
                    + " to 512 printable characters without spaces");
        }
    }

    /** No metrics anywhere: what an embedder gets unless it asks (no port is taken behind its back). */
    public static MetricsSettings disabled() {
        return new MetricsSettings(null, OFF, null);
    }

    /** Whether a listener of its own serves the metrics. */
    public boolean ownListener() {
        return port != OFF;
    }

    /** From {@code PLOYER_METRICS_PORT}, {@code PLOYER_METRICS_HOST} and {@code PLOYER_METRICS_TOKEN}. */
    public static MetricsSettings fromEnvironment(Map<String, String> environment) {
        String portText = environment.getOrDefault("PLOYER_METRICS_PORT", String.valueOf(DEFAULT_PORT)).strip();
        int port;
        if (portText.equalsIgnoreCase("off")) {
            port = OFF;
        } else if (portText.matches("\\d{1,5}") && Integer.parseInt(portText) >= 1 && Integer.parseInt(portText) <= 65_535) {
            port = Integer.parseInt(portText);
        } else {
            throw PloyerException.invalid("PLOYER_METRICS_PORT", "must be a port number from 1 to 65535, or off");
        }
        String host = environment.getOrDefault("PLOYER_METRICS_HOST", "127.0.0.1").strip();
        String token = environment.get("PLOYER_METRICS_TOKEN");
        return new MetricsSettings(host, port, token == null || token.isBlank() ? null : token.strip());
    }

    @Override
    public String toString() {
        return "MetricsSettings[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
