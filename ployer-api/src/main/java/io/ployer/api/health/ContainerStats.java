package io.ployer.api.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One resource sample of an application's container.
 *
 * @param id               stable id
 * @param applicationId    the application
 * @param containerId      the container sampled
 * @param cpuPercent       CPU use in percent of one core (may exceed 100 on several cores)
 * @param memoryUsedBytes  memory in use
 * @param memoryLimitBytes memory limit (host memory when unlimited)
 * @param networkRxBytes   bytes received since start
 * @param networkTxBytes   bytes sent since start
 * @param sampledAt        when it was taken
 */
public record ContainerStats(String id, String applicationId, String containerId, double cpuPercent,
                             long memoryUsedBytes, long memoryLimitBytes, long networkRxBytes, long networkTxBytes,
                             Instant sampledAt) {
    public ContainerStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(sampledAt, "sampledAt");
    }
}
