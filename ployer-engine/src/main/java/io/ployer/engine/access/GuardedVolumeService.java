package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.OrphanedVolume;
import io.ployer.api.application.Volume;
import io.ployer.api.application.VolumeService;
import io.ployer.api.application.VolumeSpec;
import java.util.List;

/** {@link VolumeService} as one principal may use it; orphaned volumes belong to no project (instance admins). */
final class GuardedVolumeService implements VolumeService {
    private final VolumeService delegate;
    private final Permissions permissions;
    private final Principal principal;

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedVolumeService(VolumeService delegate, Permissions permissions, Principal principal, AuditTrail audit, String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public List<Volume> volumes(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.volumes(applicationId);
    }

    @Override
    public Volume addVolume(String applicationId, VolumeSpec spec) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        Volume added = delegate.addVolume(applicationId, spec);
        record("volume.added", application, AuditTrail.change("volume_id", added.id(), "container_path", added.containerPath()));
        return added;
    }

    private void record(String action, io.ployer.api.application.Application application, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "application", application.id(), application.projectId(), change);
    }


    @Override
    public void removeVolume(String applicationId, String volumeId) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.removeVolume(applicationId, volumeId);
        record("volume.removed", application, AuditTrail.change("volume_id", volumeId));
    }

    @Override
    public void deleteApplication(String applicationId, boolean deleteVolumes) {
        var application = permissions.requireApplication(principal, applicationId, Action.ADMINISTER);
        delegate.deleteApplication(applicationId, deleteVolumes);
        record("application.deleted", application, AuditTrail.change("name", application.name(), "delete_volumes", deleteVolumes));
    }

    @Override
    public List<OrphanedVolume> orphaned() {
        Permissions.requireInstanceAdmin(principal);
        return delegate.orphaned();
    }
}
