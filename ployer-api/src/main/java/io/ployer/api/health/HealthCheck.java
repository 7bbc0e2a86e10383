package io.ployer.api.health;

import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP health check of an application, used to gate deployments and by the health monitor.
 *
 * @param applicationId      the application
 * @param path               request path, starting with {@code /}
 * @param expectedStatusMin  lowest status that counts as healthy
 * @param expectedStatusMax  highest status that counts as healthy
 * @param interval           time between checks
 * @param timeout            time allowed for one check
 * @param healthyThreshold   consecutive successes to become healthy
 * @param unhealthyThreshold consecutive failures to become unhealthy
 * @param retries            failed tries tolerated by the deployment gate
 * @param startPeriod        grace time after start during which failures do not count
 * @param enabled            whether the monitor runs it
 */
public record HealthCheck(String applicationId, String path, int expectedStatusMin, int expectedStatusMax,
                          Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold,
                          int retries, Duration startPeriod, boolean enabled) {
    public HealthCheck {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(startPeriod, "startPeriod");
    }

    /** The defaults: GET / expecting 200–399, every 15 s, 5 s timeout, thresholds 1 / 3, 10 retries. */
    public static HealthCheck defaults(String applicationId) {
        return new HealthCheck(applicationId, "/", 200, 399, Duration.ofSeconds(15), Duration.ofSeconds(5), 1, 3,
                10, Duration.ZERO, true);
    }

    /** Whether an HTTP status counts as healthy. */
    public boolean accepts(int status) {
        return status >= expectedStatusMin && status <= expectedStatusMax;
    }
}
