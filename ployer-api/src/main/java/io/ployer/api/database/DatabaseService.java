package io.ployer.api.database;

import java.util.List;

/**
 * Databases Ployer runs, their backups, and the applications linked to them. Failures are
 * {@link io.ployer.api.PloyerException}s: INVALID_ARGUMENT naming the field, NOT_FOUND, CONFLICT.
 */
public interface DatabaseService {

    /** Creates the database's volume, network and container with generated credentials, and starts it. */
    Database create(DatabaseSpec spec);

    List<Database> list();

    Database get(String id);

    Database start(String id);

    Database stop(String id);

    Database restart(String id);

    /**
     * Moves the database to another version of its engine (a minor upgrade: the same major version):
     * takes a backup first to the destination of its policy when it has one, stops the container and
     * starts a new one on the new image with the same volume. When the new one does not become ready the
     * old image is started again and the upgrade fails.
     */
    default Database upgrade(String id, String version) {
        throw new UnsupportedOperationException("this Ployer does not upgrade databases");
    }

    /** One resource reading of its container (CPU, memory, network). */
    default io.ployer.api.container.ResourceSample stats(String id) {
        throw new UnsupportedOperationException("this Ployer does not report database stats");
    }

    /** The host address and port it is published on, when it has a public port and runs. */
    default java.util.Optional<io.ployer.api.container.Endpoint> publicEndpoint(String id) {
        return java.util.Optional.empty();
    }

    /** Removes the container and network; the data volume too only if {@code deleteVolume}. */
    void delete(String id, boolean deleteVolume);

    /** The last {@code tail} lines of its output. */
    List<String> logs(String id, int tail);

    /** Runs the engine's readiness check in its container. */
    DatabaseHealth health(String id);

    /** Sets (or with {@code null} removes) its backup policy. */
    Database setBackupPolicy(String id, BackupPolicy policy);

    BackupDestination createDestination(BackupDestinationSpec spec);

    List<BackupDestination> destinations();

    void deleteDestination(String id);

    /** Takes a backup now to the destination of its policy (or {@code destinationId}); returns it recorded, whatever the outcome. */
    Backup backup(String id, String destinationId);

    /** Its backups, newest first. */
    List<Backup> backups(String id);

    /** Restores a recorded, successful backup into the database. */
    void restore(String id, String backupId);

    /**
     * Restores a recorded, successful backup into a new database named {@code name}: the same engine,
     * version, image, limits and project as database {@code id}, with credentials of its own; database
     * {@code id} is left as it is. When the restore fails the new database is removed again.
     */
    default Database restoreIntoNew(String id, String backupId, String name) {
        throw new UnsupportedOperationException("this Ployer does not restore backups into new databases");
    }

    /**
     * Restores a backup (the latest successful one when {@code backupId} is null) into a throwaway
     * container of the same engine and runs a check query there; the container is removed after.
     */
    DatabaseHealth verify(String id, String backupId);

    /** Links an application to the database; takes effect at the application's next deploy. */
    DatabaseLink link(String applicationId, String databaseId, String envPrefix);

    List<DatabaseLink> links(String applicationId);

    void unlink(String applicationId, String databaseId);

    // ---- platform backups: Ployer's own archive (database, key, manifest) to the same destinations ----

    /** The schedule, retention and destination of platform backups, if set. */
    default java.util.Optional<BackupPolicy> platformBackupPolicy() {
        return java.util.Optional.empty();
    }

    /** Sets (or with {@code null} removes) the platform backup policy. */
    default BackupPolicy setPlatformBackupPolicy(BackupPolicy policy) {
        throw new UnsupportedOperationException("this Ployer does not take platform backups");
    }

    /** Takes a platform backup now to {@code destinationId} (or the policy's); recorded whatever the outcome. */
    default Backup platformBackup(String destinationId) {
        throw new UnsupportedOperationException("this Ployer does not take platform backups");
    }

    /** Platform backups, newest first. */
    default List<Backup> platformBackups() {
        return List.of();
    }
}
