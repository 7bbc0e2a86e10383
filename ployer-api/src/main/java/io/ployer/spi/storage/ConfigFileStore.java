package io.ployer.spi.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Configuration files of applications; the content is stored as the engine hands it over (encrypted). */
public interface ConfigFileStore {

    /** One stored file. */
    record StoredFile(String id, String applicationId, String path, String content, long size, Instant createdAt, Instant updatedAt) {
        @Override
        public String toString() {
            return "StoredFile[id=" + id + ", applicationId=" + applicationId + ", path=" + path + "]";
        }
    }

    /** Inserts, or replaces the file with the same application and path (keeping its id). */
    void upsert(StoredFile file);

    List<StoredFile> listByApplication(String applicationId);

    List<StoredFile> listAll();

    Optional<StoredFile> findById(String id);

    boolean delete(String id);
}
