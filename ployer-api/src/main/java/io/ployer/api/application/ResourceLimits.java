package io.ployer.api.application;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits of an application's containers; every one is applied to each container the app runs.
 *
 * @param memoryBytes            hard memory limit in bytes (the container is OOM-killed past it), or {@code null} for none
 * @param cpus                   number of CPUs (fractional), or {@code null} for none
 * @param memoryReservationBytes soft memory limit in bytes (what the host reclaims down to under pressure),
 *                               or {@code null} for none; at most {@code memoryBytes} when both are set
 * @param pids                   most processes/threads the container may run at once, or {@code null} for no limit
 */
public record ResourceLimits(Long memoryBytes, Double cpus, Long memoryReservationBytes, Long pids) {
    /** No limits. */
    public static final ResourceLimits NONE = new ResourceLimits(null, null, null, null);

    /** Memory and CPU limits only. */
    public ResourceLimits(Long memoryBytes, Double cpus) {
        this(memoryBytes, cpus, null, null);
    }

    public OptionalLong memory() {
        return memoryBytes == null ? OptionalLong.empty() : OptionalLong.of(memoryBytes);
    }

    public OptionalDouble cpuLimit() {
        return cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus);
    }

    public OptionalLong memoryReservation() {
        return memoryReservationBytes == null ? OptionalLong.empty() : OptionalLong.of(memoryReservationBytes);
    }

    public OptionalLong pidsLimit() {
        return pids == null ? OptionalLong.empty() : OptionalLong.of(pids);
    }
}
