package io.ployer.api.audit;

import java.time.Instant;

/**
 * A filter and page over the audit log, newest first; {@code null} fields do not filter.
 *
 * @param actorUserId  only this user's entries
 * @param action       only entries whose action contains this text
 * @param resourceType only this resource type
 * @param resourceId   only this resource
 * @param projectId    only this project's entries
 * @param from         at or after
 * @param to           before
 * @param offset       entries to skip, ≥ 0
 * @param limit        entries to return, 1–10,000
 */
public record AuditQuery(String actorUserId, String action, String resourceType, String resourceId, String projectId,
                         Instant from, Instant to, int offset, int limit) {
    public AuditQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be within 1..10000");
        }
    }

    /** The same filter for one project. */
    public AuditQuery inProject(String project) {
        return new AuditQuery(actorUserId, action, resourceType, resourceId, project, from, to, offset, limit);
    }
}
