package io.ployer.api.audit;

import java.util.List;

/**
 * The audit log. On a principal's view ({@link io.ployer.api.Ployer#as}) reading needs the instance
 * admin role, or the admin role in the project the query names (NOT_FOUND for a project the caller
 * cannot see, PERMISSION_DENIED otherwise); recording is open to every caller, since it only adds.
 */
public interface AuditService {
    /** Appends an entry, stamped with the engine's clock (its sequence is assigned on storing). */
    void record(AuditEntry entry);

    /** Entries matching the query, newest first. */
    List<AuditEntry> list(AuditQuery query);

    /** How many entries match the query's filter. */
    long count(AuditQuery query);

    /** Removes entries older than the retention ({@code audit.retention-days}); returns how many (instance admins). */
    int purge();
}
