package io.ployer.api.application;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits of an application's container.
 *
 * @param memoryBytes memory limit in bytes, or {@code null} for none
 * @param cpus        number of CPUs (fractional), or {@code null} for none
 */
public record ResourceLimits(Long memoryBytes, Double cpus) {
    /** No limits. */
    public static final ResourceLimits NONE = new ResourceLimits(null, null);

    public OptionalLong memory() {
        return memoryBytes == null ? OptionalLong.empty() : OptionalLong.of(memoryBytes);
    }

    public OptionalDouble cpuLimit() {
        return cpus == null ? OptionalDouble.empty() : OptionalDouble.of(cpus);
    }
}
