package io.ployer.spi.storage;

import io.ployer.api.application.Volume;
import java.util.List;
import java.util.Optional;

/** Volumes of applications; deleting an application deletes its rows (not the runtime's data). */
public interface VolumeStore {
    /** CONFLICT naming {@code name} or {@code container_path} when the application already has one. */
    void insert(Volume volume);

    Optional<Volume> findById(String id);

    /** Ordered by name. */
    List<Volume> listByApplication(String applicationId);

    List<Volume> listAll();

    boolean delete(String id);
}
