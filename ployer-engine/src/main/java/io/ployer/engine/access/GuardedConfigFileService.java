package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.ConfigFile;
import io.ployer.api.application.ConfigFileService;
import java.util.List;

/** {@link ConfigFileService} as one principal may use it: an application's files are its settings. */
final class GuardedConfigFileService implements ConfigFileService {
    private final ConfigFileService delegate;
    private final Permissions permissions;
    private final Principal principal;

    GuardedConfigFileService(ConfigFileService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public List<ConfigFile> files(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.files(applicationId);
    }

    @Override
    public ConfigFile putFile(String applicationId, String path, String content) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.putFile(applicationId, path, content);
    }

    @Override
    public void removeFile(String applicationId, String fileId) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.removeFile(applicationId, fileId);
    }
}
