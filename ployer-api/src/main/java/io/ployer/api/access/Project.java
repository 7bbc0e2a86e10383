package io.ployer.api.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A group of applications with its own members. Every application belongs to exactly one project;
 * the {@value #DEFAULT_ID} project exists from the start and holds what existed before projects.
 *
 * @param id        stable id: a DNS label, {@value #DEFAULT_ID} for the first project
 * @param name      display name
 * @param createdAt creation time
 */
public record Project(String id, String name, Instant createdAt) {
    /** The id of the project every application created without one (and every older one) belongs to. */
    public static final String DEFAULT_ID = "default";

    public Project {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
