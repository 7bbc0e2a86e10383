package io.ployer.api.database;

import java.time.Instant;
import java.util.Objects;

/**
 * One backup of a database, recorded whatever its outcome.
 *
 * @param id             id
 * @param databaseId     the database, or {@link #PLATFORM} for an archive of Ployer itself
 * @param destinationId  where it went
 * @param status         outcome
 * @param location       its key (S3) or file (local) at the destination, or {@code null} if nothing was written
 * @param sizeBytes      bytes written (compressed)
 * @param sha256         SHA-256 of what was written, hex
 * @param reason         why it failed, a sentence, or {@code null}
 * @param startedAt      start
 * @param finishedAt     end, or {@code null} while running
 */
public record Backup(String id, String databaseId, String destinationId, Status status, String location, long sizeBytes,
                     String sha256, String reason, Instant startedAt, Instant finishedAt) {
    /** The {@code databaseId} of a platform backup: Ployer's own archive (database, key, manifest). */
    public static final String PLATFORM = "ployer";

    /** Outcomes. */
    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED,
        /** Succeeded, then removed from its destination by the retention policy. */
        PRUNED
    }

    public Backup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(databaseId, "databaseId");
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
