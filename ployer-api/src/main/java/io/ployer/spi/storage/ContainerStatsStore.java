package io.ployer.spi.storage;

import io.ployer.api.health.ContainerStats;
import java.time.Instant;
import java.util.List;

/** Container statistics samples. */
public interface ContainerStatsStore {
    void insert(ContainerStats stats);

    /** The app's samples with {@code from <= sampledAt < to}, oldest first. */
    List<ContainerStats> range(String applicationId, Instant from, Instant to);

    /** Deletes samples taken before {@code cutoff}; returns how many. */
    int deleteOlderThan(Instant cutoff);
}
