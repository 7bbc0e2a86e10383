package io.ployer.spi.storage;

import io.ployer.api.audit.AuditEntry;
import io.ployer.api.audit.AuditQuery;
import java.time.Instant;
import java.util.List;

/** The audit log: appended to, read, and trimmed by age only (never updated). */
public interface AuditStore {
    /** Appends an entry (its sequence is assigned by the store). */
    void append(AuditEntry entry);

    /** Entries matching the query, newest first. */
    List<AuditEntry> list(AuditQuery query);

    /** How many entries match the query's filter (paging ignored). */
    long count(AuditQuery query);

    /** Removes entries older than {@code cutoff}; returns how many. */
    int deleteBefore(Instant cutoff);
}
