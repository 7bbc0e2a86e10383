package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * A configuration file of an application, mounted read-only at {@code path} into every container it
 * runs from the next deployment on. Its content is stored encrypted and never shown.
 *
 * @param id            stable id (UUID text)
 * @param applicationId owning application
 * @param path          absolute path of the file in the container
 * @param size          content length in bytes (UTF-8)
 * @param createdAt     creation time
 * @param updatedAt     last change of the content
 */
public record ConfigFile(String id, String applicationId, String path, long size, Instant createdAt, Instant updatedAt) {
    public ConfigFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
