package io.ployer.api.database;

import java.util.Objects;

/**
 * When and where a database is backed up.
 *
 * @param schedule       a cron expression (Unix, five fields), or {@code null} for on demand only
 * @param keep           how many successful backups to keep at the destination (older ones are pruned)
 * @param destinationId  the destination's id
 */
public record BackupPolicy(String schedule, int keep, String destinationId) {
    public BackupPolicy {
        Objects.requireNonNull(destinationId, "destinationId");
    }
}
