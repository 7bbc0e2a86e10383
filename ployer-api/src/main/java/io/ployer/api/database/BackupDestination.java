package io.ployer.api.database;

import java.time.Instant;
import java.util.Objects;

/**
 * Where backups go: a local directory or an S3-compatible bucket. Its credentials are kept encrypted
 * and never returned.
 *
 * @param id         id
 * @param name       name
 * @param kind       {@code LOCAL} or {@code S3}
 * @param path       the directory (LOCAL) or the key prefix in the bucket (S3)
 * @param endpoint   the S3 endpoint URL, or {@code null} for AWS itself (S3 only)
 * @param bucket     bucket (S3 only)
 * @param region     region (S3 only)
 * @param pathStyle  path-style addressing (S3 only; most self-hosted S3 servers want it)
 * @param accessKey  the access key id (S3 only; the secret key is never returned)
 * @param createdAt  creation time
 */
public record BackupDestination(String id, String name, Kind kind, String path, String endpoint, String bucket, String region,
                                boolean pathStyle, String accessKey, Instant createdAt) {
    /** Kinds of destinations. */
    public enum Kind {
        LOCAL,
        S3
    }

    public BackupDestination {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdAt, "createdAt");
        path = path == null ? "" : path;
    }
}
