package io.ployer.api.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's role in a project.
 *
 * @param projectId the project
 * @param userId    the user
 * @param email     the user's e-mail address, for display
 * @param role      the role
 * @param addedAt   when the user became a member
 */
public record ProjectMember(String projectId, String userId, String email, ProjectRole role, Instant addedAt) {
    public ProjectMember {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(addedAt, "addedAt");
    }
}
