package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.EnvVar;
import io.ployer.api.preview.Preview;
import io.ployer.api.preview.PreviewService;
import io.ployer.api.preview.PreviewSettings;
import io.ployer.api.preview.PreviewSettingsChange;
import java.util.List;

/** {@link PreviewService} as one principal may use it: previews are the application's, and need its roles. */
final class GuardedPreviewService implements PreviewService {
    private final PreviewService delegate;
    private final Permissions permissions;
    private final Principal principal;

    GuardedPreviewService(PreviewService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public List<Preview> list(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.list(applicationId);
    }

    @Override
    public PreviewSettings settings(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.settings(applicationId);
    }

    @Override
    public PreviewSettings updateSettings(String applicationId, PreviewSettingsChange changes) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.updateSettings(applicationId, changes);
    }

    @Override
    public List<EnvVar> envVars(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.envVars(applicationId);
    }

    @Override
    public EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.setEnvVar(applicationId, key, value, buildTime);
    }

    @Override
    public void deleteEnvVar(String applicationId, String key) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.deleteEnvVar(applicationId, key);
    }

    @Override
    public void delete(String applicationId, int number) {
        permissions.requireApplication(principal, applicationId, Action.DEPLOY);
        delegate.delete(applicationId, number);
    }

    /** Instance-wide housekeeping: instance admins only. */
    @Override
    public int expire() {
        Permissions.requireInstanceAdmin(principal);
        return delegate.expire();
    }
}
