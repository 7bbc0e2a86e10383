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

    GuardedVolumeService(VolumeService delegate, Permissions permissions, Principal principal) {
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
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.addVolume(applicationId, spec);
    }

    @Override
    public void removeVolume(String applicationId, String volumeId) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.removeVolume(applicationId, volumeId);
    }

    @Override
    public void deleteApplication(String applicationId, boolean deleteVolumes) {
        permissions.requireApplication(principal, applicationId, Action.ADMINISTER);
        delegate.deleteApplication(applicationId, deleteVolumes);
    }

    @Override
    public List<OrphanedVolume> orphaned() {
        Permissions.requireInstanceAdmin(principal);
        return delegate.orphaned();
    }
}
