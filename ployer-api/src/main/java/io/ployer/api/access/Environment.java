package io.ployer.api.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A stage of a project (production, staging …). An application in two environments is two
 * applications: the second shares the first's git settings (repository, build strategy and its
 * settings, git credentials) and has its own branch, env values and domains. Every project has
 * {@value #PRODUCTION}, where applications live unless placed elsewhere.
 *
 * @param projectId the project
 * @param name      a DNS label, unique in the project
 * @param createdAt creation time
 */
public record Environment(String projectId, String name, Instant createdAt) {
    /** The environment every application is in unless placed in another one. */
    public static final String PRODUCTION = "production";

    public Environment {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Where an application is: its environment, and the application whose git settings it shares.
     *
     * @param applicationId       the application
     * @param environment         its environment's name
     * @param sourceApplicationId the application it shares git settings with, or {@code null}
     */
    public record Placement(String applicationId, String environment, String sourceApplicationId) {
        public Placement {
            Objects.requireNonNull(applicationId, "applicationId");
            Objects.requireNonNull(environment, "environment");
        }
    }
}
