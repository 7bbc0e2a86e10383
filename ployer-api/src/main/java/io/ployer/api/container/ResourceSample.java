package io.ployer.api.container;

import java.time.Instant;

/**
 * One resource reading of a container, computed from the runtime's counters.
 *
 * @param cpuPercent       CPU use in percent of one core over the runtime's sampling window
 * @param memoryUsedBytes  memory in use
 * @param memoryLimitBytes memory limit
 * @param networkRxBytes   bytes received
 * @param networkTxBytes   bytes sent
 * @param at               when it was read
 */
public record ResourceSample(double cpuPercent, long memoryUsedBytes, long memoryLimitBytes, long networkRxBytes,
                             long networkTxBytes, Instant at) {
}
