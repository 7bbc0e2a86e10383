package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * Persistent storage mounted into every container of an application. Its data outlives every
 * container: redeploys, rollbacks and restarts all mount the same volume.
 *
 * @param id            stable id (UUID text)
 * @param applicationId owning application
 * @param name          the name given ({@code [a-z0-9][a-z0-9_.-]*}); for a bind mount a label only
 * @param kind          named Docker volume or host bind mount
 * @param source        the runtime's volume name ({@code ployer-<app>-<name>}) or the host path of a bind mount
 * @param containerPath absolute path inside the container
 * @param readOnly      mounted read-only
 * @param exclusive     only one container may use it at a time: the deploy switch stops the old container
 *                      before the new one starts (the one switch with a gap)
 * @param createdAt     creation time
 */
public record Volume(String id, String applicationId, String name, Kind kind, String source, String containerPath,
                     boolean readOnly, boolean exclusive, Instant createdAt) {

    /** What backs a volume. */
    public enum Kind {
        /** A named volume the runtime manages. */
        NAMED,
        /** A directory of the host (admin only, under a configured root). */
        BIND
    }

    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(containerPath, "containerPath");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
