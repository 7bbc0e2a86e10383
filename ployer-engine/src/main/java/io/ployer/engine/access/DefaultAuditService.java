package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.audit.AuditEntry;
import io.ployer.api.audit.AuditQuery;
import io.ployer.api.audit.AuditService;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The audit log for one principal ({@code null}: the system, which may read everything). */
public final class DefaultAuditService implements AuditService {
    private final Storage storage;
    private final Clock clock;
    private final int retentionDays;
    private final Permissions permissions;
    private final Principal principal;

    public DefaultAuditService(Storage storage, Clock clock, int retentionDays, Permissions permissions, Principal principal) {
        this.storage = storage;
        this.clock = clock;
        this.retentionDays = retentionDays;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public void record(AuditEntry entry) {
        // Appended now, on the engine's clock (the one retention is measured with), whatever time the caller gave.
        storage.audit().append(new AuditEntry(0, clock.instant(), entry.actorUserId(), entry.actor(), entry.apiKey(),
                entry.clientAddress(), entry.action(), entry.resourceType(), entry.resourceId(), entry.projectId(), entry.status(),
                entry.change()));
    }

    private void requireReader(AuditQuery query) {
        if (principal == null || Permissions.isInstanceAdmin(principal)) {
            return;
        }
        if (query.projectId() == null) {
            throw new PloyerException(io.ployer.api.StandardErrorCode.PERMISSION_DENIED,
                    "only an instance admin may read the whole audit log; a project admin names the project (project_id)");
        }
        permissions.require(principal, query.projectId(), Action.ADMINISTER, "project", query.projectId());
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        requireReader(query);
        return storage.audit().list(query);
    }

    @Override
    public long count(AuditQuery query) {
        requireReader(query);
        return storage.audit().count(query);
    }

    @Override
    public int purge() {
        if (principal != null) {
            Permissions.requireInstanceAdmin(principal);
        }
        return storage.audit().deleteBefore(clock.instant().minus(Duration.ofDays(retentionDays)));
    }
}
