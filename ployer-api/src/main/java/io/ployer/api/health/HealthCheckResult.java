package io.ployer.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One health check of an application's running container.
 *
 * @param id             stable id
 * @param applicationId  the application
 * @param status         HEALTHY or UNHEALTHY
 * @param responseTimeMs time to answer, in milliseconds
 * @param statusCode     HTTP status, or {@code null} when no answer came
 * @param error          why it failed, or {@code null}
 * @param checkedAt      when it ran
 */
public record HealthCheckResult(String id, String applicationId, HealthStatus status, long responseTimeMs,
                                Integer statusCode, String error, Instant checkedAt) {
    public HealthCheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }
}
