package io.ployer.spi.storage;

import io.ployer.api.health.HealthCheckResult;
import java.time.Instant;
import java.util.List;

/** Health check history. */
public interface HealthCheckResultStore {
    void insert(HealthCheckResult result);

    /** The app's newest results first, at most {@code limit}. */
    List<HealthCheckResult> latest(String applicationId, int limit);

    /** Deletes results checked before {@code cutoff}; returns how many. */
    int deleteOlderThan(Instant cutoff);
}
