package io.ployer.api.application;

import java.util.List;

/**
 * Persistent volumes of applications. Named volumes are namespaced per application
 * ({@code ployer-<app>-<name>}) so two applications never share data by accident; bind mounts
 * are allowed only under the configured host roots ({@code volumes.bind-roots}).
 */
public interface VolumeService {

    /** The application's volumes, by name. */
    List<Volume> volumes(String applicationId);

    /**
     * Adds a volume; it is mounted from the next deployment on. INVALID naming the field for bad input,
     * CONFLICT when the name or container path is taken, FORBIDDEN-free: the caller checks who may bind-mount.
     */
    Volume addVolume(String applicationId, VolumeSpec spec);

    /** Forgets a volume; a named volume's data stays on the runtime until it is removed as an orphan. */
    void removeVolume(String applicationId, String volumeId);

    /** Deletes an application; its named volumes (data) too only when {@code deleteVolumes}. */
    void deleteApplication(String applicationId, boolean deleteVolumes);

    /** Named volumes this installation made whose application is gone or no longer lists them. */
    List<OrphanedVolume> orphaned();
}
