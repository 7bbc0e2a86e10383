package io.ployer.spi.storage;

import io.ployer.api.health.HealthCheck;
import java.util.List;
import java.util.Optional;

/** Health check configuration, one per application. */
public interface HealthCheckStore {
    Optional<HealthCheck> find(String applicationId);

    void upsert(HealthCheck check);

    boolean delete(String applicationId);

    List<HealthCheck> listAll();
}
