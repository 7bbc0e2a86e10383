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

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedConfigFileService(ConfigFileService delegate, Permissions permissions, Principal principal, AuditTrail audit, String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
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
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        ConfigFile file = delegate.putFile(applicationId, path, content);
        record("file.written", application, AuditTrail.change("path", path, "content", AuditTrail.MASK));
        return file;
    }

    private void record(String action, io.ployer.api.application.Application application, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "application", application.id(), application.projectId(), change);
    }


    @Override
    public void removeFile(String applicationId, String fileId) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.removeFile(applicationId, fileId);
        record("file.removed", application, AuditTrail.change("file_id", fileId));
    }
}
