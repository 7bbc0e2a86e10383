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

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedApplicationService(ApplicationService delegate, Permissions permissions, Principal principal, AuditTrail audit,
                              String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    private void require(String applicationId, Action action) {
        permissions.requireApplication(principal, applicationId, action);
    }

    private Application requireApp(String applicationId, Action action) {
        return permissions.requireApplication(principal, applicationId, action);
    }

    private void record(String action, Application application, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "application", application.id(), application.projectId(), change);
    }

    private static java.util.Map<String, String> spec(ApplicationSpec spec) {
        return AuditTrail.change("name", spec.name(), "server_id", spec.serverId(), "git_url", spec.gitUrl(),
                "branch", spec.branch(), "build_strategy", spec.buildStrategy(), "build_config", spec.buildConfig(), "port", spec.port(),
                "auto_deploy", spec.autoDeploy(), "restart_policy", spec.restartPolicy(), "project_id", spec.projectId());
    }

    @Override
    public Application create(ApplicationSpec spec) {
        if (spec == null) {
            throw PloyerException.invalid("body", "is required");
        }
        String projectId = spec.projectId() == null ? Project.DEFAULT_ID : spec.projectId();
        requireProject(projectId, Action.WRITE);
        Application created = delegate.create(spec);
        record("application.created", created, spec(spec));
        return created;
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
        Application updated = delegate.update(applicationId, changes);
        record("application.updated", updated, spec(changes));
        return updated;
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
        Application application = requireApp(applicationId, Action.ADMINISTER);
        delegate.delete(applicationId);
        record("application.deleted", application, java.util.Map.of("name", application.name()));
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
        Application application = requireApp(applicationId, Action.WRITE);
        EnvVar set = delegate.setEnvVar(applicationId, key, value, buildTime);
        record("env.set", application, AuditTrail.change("key", key, "value", AuditTrail.MASK, "build_time", buildTime));
        return set;
    }

    @Override
    public void deleteEnvVar(String applicationId, String key) {
        Application application = requireApp(applicationId, Action.WRITE);
        delegate.deleteEnvVar(applicationId, key);
        record("env.deleted", application, AuditTrail.change("key", key));
    }

    @Override
    public List<Domain> domains(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.domains(applicationId);
    }

    @Override
    public List<io.ployer.api.application.DomainTls> domainTls(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.domainTls(applicationId);
    }

    @Override
    public Domain addDomain(String applicationId, String hostname) {
        Application application = requireApp(applicationId, Action.WRITE);
        Domain added = delegate.addDomain(applicationId, hostname);
        record("domain.added", application, AuditTrail.change("domain", hostname));
        return added;
    }

    @Override
    public Domain addDomain(String applicationId, String hostname, String service, Integer port) {
        require(applicationId, Action.WRITE);
        return delegate.addDomain(applicationId, hostname, service, port);
    }

    @Override
    public void removeDomain(String applicationId, String hostname) {
        Application application = requireApp(applicationId, Action.WRITE);
        delegate.removeDomain(applicationId, hostname);
        record("domain.removed", application, AuditTrail.change("domain", hostname));
    }

    @Override
    public Domain verifyDomain(String applicationId, String hostname) {
        Application application = requireApp(applicationId, Action.WRITE);
        Domain verified = delegate.verifyDomain(applicationId, hostname);
        record("domain.verified", application, AuditTrail.change("domain", hostname, "verified", verified.verified()));
        return verified;
    }

    @Override
    public Domain setPrimaryDomain(String applicationId, String hostname) {
        Application application = requireApp(applicationId, Action.WRITE);
        Domain primary = delegate.setPrimaryDomain(applicationId, hostname);
        record("domain.primary", application, AuditTrail.change("domain", hostname));
        return primary;
    }

    @Override
    public void setGitToken(String applicationId, String token) {
        Application application = requireApp(applicationId, Action.WRITE);
        delegate.setGitToken(applicationId, token);
        record("git-token.set", application, AuditTrail.change("token", AuditTrail.MASK));
    }

    @Override
    public void clearGitToken(String applicationId) {
        Application application = requireApp(applicationId, Action.WRITE);
        delegate.clearGitToken(applicationId);
        record("git-token.cleared", application, java.util.Map.of());
    }

    @Override
    public DeployKey deployKey(String applicationId) {
        require(applicationId, Action.READ);
        return delegate.deployKey(applicationId);
    }

    @Override
    public DeployKey regenerateDeployKey(String applicationId, KeyAlgorithm algorithm) {
        Application application = requireApp(applicationId, Action.WRITE);
        DeployKey key = delegate.regenerateDeployKey(applicationId, algorithm);
        record("deploy-key.regenerated", application, AuditTrail.change("algorithm", algorithm));
        return key;
    }
}
