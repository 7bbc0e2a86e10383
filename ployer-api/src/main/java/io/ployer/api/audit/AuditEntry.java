package io.ployer.api.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded change: who did what to which resource, from where and when. Append-only: entries
 * are never changed, and removed only when older than the retention.
 *
 * @param sequence      position in the log, growing (0 before it is stored)
 * @param at            when
 * @param actorUserId   the user, or {@code null} (an anonymous request such as a failed login)
 * @param actor         the user's e-mail address, {@code "api-key:<prefix or id>"} hint included when a key acted, or {@code "anonymous"}
 * @param apiKey        whether the credential was an API key
 * @param clientAddress the client's address, or {@code null}
 * @param action        what happened ({@code POST /applications/{id}/deploy}, {@code login.failed} …)
 * @param resourceType  {@code application}, {@code project}, {@code deployment}, {@code auth} …
 * @param resourceId    the resource's id, or {@code null}
 * @param projectId     the project the resource belongs to, or {@code null}
 * @param status        the HTTP status answered (or 0 outside HTTP)
 * @param change        the request's fields, secret values masked as {@code ********}
 */
public record AuditEntry(long sequence, Instant at, String actorUserId, String actor, boolean apiKey, String clientAddress,
                         String action, String resourceType, String resourceId, String projectId, int status,
                         Map<String, String> change) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        change = change == null ? Map.of() : Map.copyOf(change);
    }
}
