package io.ployer.api.access;

import java.time.Instant;
import java.util.Objects;

/**
 * An invitation to join a project with a role. Only the hash of its token is stored; the token is
 * shown once, at creation, and may be accepted once, before it expires.
 *
 * @param id         stable id
 * @param projectId  the project
 * @param role       the role the accepting user gets
 * @param tokenHash  SHA-256 of the token (hex), never shown
 * @param createdBy  the user who invited
 * @param createdAt  creation time
 * @param expiresAt  expiry
 * @param acceptedBy the user who accepted it, or {@code null}
 * @param acceptedAt acceptance time, or {@code null}
 */
public record Invitation(String id, String projectId, ProjectRole role, String tokenHash, String createdBy, Instant createdAt,
                         Instant expiresAt, String acceptedBy, Instant acceptedAt) {
    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "Invitation[id=" + id + ", projectId=" + projectId + ", role=" + role + ", expiresAt=" + expiresAt + "]";
    }

    /**
     * A freshly made invitation.
     *
     * @param token      the single-use token (shown once)
     * @param invitation the stored invitation
     */
    public record Issued(String token, Invitation invitation) {
        @Override
        public String toString() {
            return "Issued[id=" + invitation.id() + "]";
        }
    }
}
