package io.ployer.api.database;

import io.ployer.api.application.ResourceLimits;
import java.time.Instant;
import java.util.Objects;

/**
 * A database Ployer runs in a container of its own, with its data in a named volume and a private
 * network shared only with the applications linked to it. The password is never part of it.
 *
 * @param id            id
 * @param name          name ({@code [a-z0-9][a-z0-9-]*}), also the host name linked applications reach it by
 * @param engine        engine
 * @param version       engine version (the image tag)
 * @param image         the image the container runs
 * @param username      the generated user
 * @param databaseName  the database (schema) created for it; for Redis {@code 0}
 * @param port          the port it listens on inside its network
 * @param publicPort    whether it is also published on a host interface
 * @param limits        resource limits of its container
 * @param status        what Ployer last did with it
 * @param backup        its backup policy, or {@code null} for none
 * @param createdAt     creation time
 * @param projectId     the project it belongs to ({@code default} for databases made before projects)
 * @param publicHost    the host address it is published on when {@code publicPort} (chosen by an instance admin;
 *                      {@code null}: the runtime's publish host, loopback by default)
 */
public record Database(String id, String name, DatabaseEngine engine, String version, String image, String username,
                       String databaseName, int port, boolean publicPort, ResourceLimits limits, DatabaseStatus status,
                       BackupPolicy backup, Instant createdAt, String projectId, String publicHost) {
    public Database {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        limits = limits == null ? ResourceLimits.NONE : limits;
        projectId = projectId == null ? io.ployer.api.access.Project.DEFAULT_ID : projectId;
    }

    /** A database of the {@code default} project published (if at all) on the runtime's publish host. */
    public Database(String id, String name, DatabaseEngine engine, String version, String image, String username,
                    String databaseName, int port, boolean publicPort, ResourceLimits limits, DatabaseStatus status,
                    BackupPolicy backup, Instant createdAt) {
        this(id, name, engine, version, image, username, databaseName, port, publicPort, limits, status, backup, createdAt,
                null, null);
    }

    /** This database with another status. */
    public Database withStatus(DatabaseStatus newStatus) {
        return new Database(id, name, engine, version, image, username, databaseName, port, publicPort, limits, newStatus,
                backup, createdAt, projectId, publicHost);
    }

    /** This database with another backup policy ({@code null}: none). */
    public Database withBackup(BackupPolicy newBackup) {
        return new Database(id, name, engine, version, image, username, databaseName, port, publicPort, limits, status,
                newBackup, createdAt, projectId, publicHost);
    }

    /** This database running another version of its engine from another image. */
    public Database withVersion(String newVersion, String newImage) {
        return new Database(id, name, engine, newVersion, newImage, username, databaseName, port, publicPort, limits, status,
                backup, createdAt, projectId, publicHost);
    }
}
