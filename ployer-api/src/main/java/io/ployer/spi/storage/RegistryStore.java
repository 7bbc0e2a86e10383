package io.ployer.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Image registries; the password is stored as the engine hands it over (encrypted). */
public interface RegistryStore {

    /**
     * One stored registry.
     *
     * @param password the encrypted password, or {@code null}
     */
    record StoredRegistry(String id, String url, String username, String password, Instant createdAt, Instant updatedAt) {
        @Override
        public String toString() {
            return "StoredRegistry[id=" + id + ", url=" + url + ", username=" + username + "]";
        }
    }

    void insert(StoredRegistry registry);

    void update(StoredRegistry registry);

    Optional<StoredRegistry> findById(String id);

    Optional<StoredRegistry> findByUrl(String url);

    List<StoredRegistry> list();

    boolean delete(String id);

    java.util.Optional<io.ployer.api.registry.PushTarget> findPushTarget(String applicationId);

    /** The applications pushing to a registry. */
    List<String> applicationsPushingTo(String registryId);

    void putPushTarget(io.ployer.api.registry.PushTarget target);

    boolean deletePushTarget(String applicationId);
}
