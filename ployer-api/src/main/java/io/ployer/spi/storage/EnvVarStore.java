package io.ployer.spi.storage;

import io.ployer.api.application.EnvVar;
import java.util.List;
import java.util.Optional;

/** Environment variables; values are stored as given (encrypted by the engine). */
public interface EnvVarStore {
    /** The app's variables ordered by key. */
    List<EnvVar> listByApplication(String applicationId);

    Optional<EnvVar> find(String applicationId, String key);

    /** Inserts, or replaces the value, flag and update time of the same (application, key). */
    void upsert(EnvVar envVar);

    boolean delete(String applicationId, String key);

    /** Every variable of every app (for key rotation). */
    List<EnvVar> listAll();
}
