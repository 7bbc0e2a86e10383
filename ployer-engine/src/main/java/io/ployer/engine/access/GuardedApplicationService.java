package io.ployer.engine.access;

import io.ployer.api.Page;
import io.ployer.api.PloyerException;
import io.ployer.api.access.Project;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.application.ApplicationSpec;
import io.ployer.api.application.DeployKey;
import io.ployer.api.application.Domain;
import io.ployer.api.application.EnvVar;
import io.ployer.api.application.KeyAlgorithm;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link ApplicationService} as one principal may use it: every method asks {@link Permissions} first. */
final class GuardedApplicationService implements ApplicationService {
    private final ApplicationService delegate;
    private final Permissions permissions;
    private final Principal principal;

    GuardedApplicationService(ApplicationService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    private void require(String applicationId, Action action) {
        permissions.requireApplication(principal, applicationId, action);
    }

    @Override
    public Application create(ApplicationSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        String projectId = spec.projectId() == null ? Project.DEFAULT_ID : spec.projectId();
        requireProject(projectId, Action.WRITE);
        return delegate.create(spec);
    }

    /** A project the caller may not see is answered like one that does not exist. */
    private void requireProject(String projectId, Action action) {
        if (!permissions.maySee(principal, projectId)) {
            throw PloyerException.invalid("project_id", "must name an existing project");
        }
        permissions.require(principal, projectId, action, "project", projectId);
    }

    @Override
    public Application update(String applicationId, ApplicationSpec changes) {
        Application current = permissions.requireApplication(principal, applicationId, Action.WRITE);
        if (changes != null && changes.projectId() != null && !changes.projectId().equals(current.projectId())) {
            // Moving an application changes who may reach it: admin of both projects.
            permissions.require(principal, current.projectId(), Action.ADMINISTER, "application", applicationId);
            requireProject(changes.projectId(), Action.ADMINISTER);
        }
        return delegate.update(applicationId, changes);
    }

    @Override
    public Optional<Application> find(String applicationId) {
        return delegate.find(applicationId).filter(this::visible);
    }

    @Override
    public Optional<Application> findByName(String name) {
        return delegate.findByName(name).filter(this::visible);
    }

    private boolean visible(Application application) {
        return permissions.maySee(principal, application.projectId());
    }

    @Override
    public Application get(String applicationId) {
        return permissions.requireApplication(principal, applicationId, Action.READ);
    }

    @Override
    public List<Application> list() {
        if (Permissions.isInstanceAdmin(principal)) {
            return delegate.list();
        }
        Set<String> projects = permissions.visibleProjects(principal);
        return delegate.list().stream().filter(application -> projects.contains(application.projectId())).toList();
    }

    @Override
    public List<Application> list(int offset, int limit) {
        if (Permissions.isInstanceAdmin(principal)) {
            return delegate.list(offset, limit);
        }
        Page.check(offset, limit);
        return list().stream().skip(offset).limit(limit).toList();
    }

    @Override
    public long count() {
        return Permissions.isInstanceAdmin(principal) ? delegate.count() : list().size();
    }

    @Override
    public void delete(String applicationId) {
        require(applicationId, Action.ADMINISTER);
        delegate.delete(applicationId);
    }

    @Override
    public Application stop(String applicationId) {
        require(applicationId, Action.DEPLOY);
        return delegate.stop(applicationId);
    }

    @Override
    public Application start(String applicationId) {
        require(applicationId, Action.DEPLOY);
        return delegate.start(applicationId);
    }

    @Override
    public Application scale(String applicationId, int replicas) {
        require(applicationId, Action.DEPLOY);
        return delegate.scale(applicationId, replicas);
    }

    @Override
    public List<EnvVar> envVars(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.envVars(applicationId);
    }

    @Override
    public List<EnvVar> revealEnvVars(String applicationId) {
        require(applicationId, Action.REVEAL_SECRETS);
        return delegate.revealEnvVars(applicationId);
    }

    @Override
    public EnvVar setEnvVar(String applicationId, String key, String value, boolean buildTime) {
        require(applicationId, Action.WRITE);
        return delegate.setEnvVar(applicationId, key, value, buildTime);
    }

    @Override
    public void deleteEnvVar(String applicationId, String key) {
        require(applicationId, Action.WRITE);
        delegate.deleteEnvVar(applicationId, key);
    }

    @Override
    public List<Domain> domains(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.domains(applicationId);
    }

    @Override
    public Domain addDomain(String applicationId, String hostname) {
        require(applicationId, Action.WRITE);
        return delegate.addDomain(applicationId, hostname);
    }

    @Override
    public Domain addDomain(String applicationId, String hostname, String service, Integer port) {
        require(applicationId, Action.WRITE);
        return delegate.addDomain(applicationId, hostname, service, port);
    }

    @Override
    public void removeDomain(String applicationId, String hostname) {
        require(applicationId, Action.WRITE);
        delegate.removeDomain(applicationId, hostname);
    }

    @Override
    public Domain verifyDomain(String applicationId, String hostname) {
        require(applicationId, Action.WRITE);
        return delegate.verifyDomain(applicationId, hostname);
    }

    @Override
    public Domain setPrimaryDomain(String applicationId, String hostname) {
        require(applicationId, Action.WRITE);
        return delegate.setPrimaryDomain(applicationId, hostname);
    }

    @Override
    public void setGitToken(String applicationId, String token) {
        require(applicationId, Action.WRITE);
        delegate.setGitToken(applicationId, token);
    }

    @Override
    public void clearGitToken(String applicationId) {
        require(applicationId, Action.WRITE);
        delegate.clearGitToken(applicationId);
    }

    @Override
    public DeployKey deployKey(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.deployKey(applicationId);
    }

    @Override
    public DeployKey regenerateDeployKey(String applicationId, KeyAlgorithm algorithm) {
        require(applicationId, Action.WRITE);
        return delegate.regenerateDeployKey(applicationId, algorithm);
    }
}
