package io.ployer.api.health;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Health check configuration, results and container statistics of applications. */
public interface HealthService {

    /** Sets (creates or replaces) the app's health check after validating it. */
    HealthCheck configure(HealthCheck check);

    /** The app's health check, if one is configured. */
    Optional<HealthCheck> healthCheck(String applicationId);

    /** The app's latest check results, newest first, at most {@code limit}. */
    List<HealthCheckResult> results(String applicationId, int limit);

    /** The app's container statistics sampled within {@code [from, to)}, oldest first. */
    List<ContainerStats> stats(String applicationId, Instant from, Instant to);

    /**
     * The same, downsampled: one averaged sample per {@code step} bucket (its time the bucket's
     * start), network counters as the bucket's last value.
     */
    List<ContainerStats> stats(String applicationId, Instant from, Instant to, java.time.Duration step);
}
