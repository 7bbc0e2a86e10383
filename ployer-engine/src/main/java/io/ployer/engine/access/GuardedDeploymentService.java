package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.application.Application;
import io.ployer.api.application.ApplicationService;
import io.ployer.api.deployment.Deployment;
import io.ployer.api.deployment.DeploymentLogLine;
import io.ployer.api.deployment.DeploymentQuery;
import io.ployer.api.deployment.DeploymentRequest;
import io.ployer.api.deployment.DeploymentService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link DeploymentService} as one principal may use it. */
final class GuardedDeploymentService implements DeploymentService {
    private final DeploymentService delegate;
    private final ApplicationService visibleApplications;
    private final Permissions permissions;
    private final Principal principal;

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedDeploymentService(DeploymentService delegate, ApplicationService visibleApplications, Permissions permissions,
                             Principal principal, AuditTrail audit, String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
        this.delegate = delegate;
        this.visibleApplications = visibleApplications;
        this.permissions = permissions;
        this.principal = principal;
    }

    /** The deployment, when the caller may do {@code action} to its application; NOT_FOUND when it may not see it. */
    private Deployment require(String deploymentId, Action action) {
        Deployment deployment = delegate.find(deploymentId).orElseThrow(() -> PloyerException.notFound("deployment", deploymentId));
        if (!permissions.maySeeApplication(principal, deployment.applicationId())) {
            throw PloyerException.notFound("deployment", deploymentId);
        }
        permissions.requireApplication(principal, deployment.applicationId(), action);
        return deployment;
    }

    @Override
    public Deployment deploy(DeploymentRequest request) {
        if (request == null) {
            return delegate.deploy(null);
        }
        Application application = permissions.requireApplication(principal, request.applicationId(), Action.DEPLOY);
        Deployment deployment = delegate.deploy(request);
        record("deploy", deployment, application.projectId(), AuditTrail.change("application_id", application.id(),
                "commit_sha", request.commitSha()));
        return deployment;
    }

    @Override
    public Deployment rollback(String deploymentId) {
        Deployment target = require(deploymentId, Action.DEPLOY);
        Deployment deployment = delegate.rollback(deploymentId);
        record("rollback", deployment, projectOf(target), AuditTrail.change("application_id", target.applicationId(),
                "to_deployment_id", deploymentId));
        return deployment;
    }

    @Override
    public Deployment cancel(String deploymentId) {
        Deployment target = require(deploymentId, Action.DEPLOY);
        Deployment deployment = delegate.cancel(deploymentId);
        record("cancel", deployment, projectOf(target), AuditTrail.change("application_id", target.applicationId()));
        return deployment;
    }

    private String projectOf(Deployment deployment) {
        return visibleApplications.find(deployment.applicationId()).map(Application::projectId).orElse(null);
    }

    private void record(String action, Deployment deployment, String projectId, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "deployment", deployment.id(), projectId, change);
    }

    @Override
    public Optional<Deployment> find(String deploymentId) {
        return delegate.find(deploymentId).filter(deployment -> permissions.maySeeApplication(principal, deployment.applicationId()));
    }

    @Override
    public Deployment get(String deploymentId) {
        return require(deploymentId, Action.READ);
    }

    @Override
    public List<Deployment> list(DeploymentQuery query) {
        if (Permissions.isInstanceAdmin(principal)) {
            return delegate.list(query);
        }
        if (query.applicationId() != null) {
            return permissions.maySeeApplication(principal, query.applicationId()) ? delegate.list(query) : List.of();
        }
        // Newest first across the caller's applications: each one's newest (offset + limit), merged.
        int wanted = Math.min(500, query.offset() + query.limit());
        List<Deployment> merged = new ArrayList<>();
        for (Application application : visibleApplications.list()) {
            merged.addAll(delegate.list(new DeploymentQuery(application.id(), query.status(), 0, wanted)));
        }
        merged.sort(Comparator.comparing(Deployment::createdAt).reversed());
        return merged.stream().skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public long count(DeploymentQuery query) {
        if (Permissions.isInstanceAdmin(principal)) {
            return delegate.count(query);
        }
        if (query.applicationId() != null) {
            return permissions.maySeeApplication(principal, query.applicationId()) ? delegate.count(query) : 0;
        }
        long total = 0;
        for (Application application : visibleApplications.list()) {
            total += delegate.count(new DeploymentQuery(application.id(), query.status(), 0, 1));
        }
        return total;
    }

    @Override
    public List<DeploymentLogLine> logs(String deploymentId) {
        require(deploymentId, Action.READ);
        return delegate.logs(deploymentId);
    }

    @Override
    public Deployment awaitCompletion(String deploymentId, Duration timeout) throws InterruptedException {
        require(deploymentId, Action.READ);
        return delegate.awaitCompletion(deploymentId, timeout);
    }

    @Override
    public List<io.ployer.api.deployment.ServiceContainer> services(String applicationId) {
        visibleApplications.get(applicationId);
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.services(applicationId);
    }

    @Override
    public List<String> serviceLogs(String applicationId, String service, int tail) {
        visibleApplications.get(applicationId);
        permissions.requireApplication(principal, applicationId, Action.CONTAINER_LOGS);
        return delegate.serviceLogs(applicationId, service, tail);
    }

    @Override
    public io.ployer.api.container.ResourceSample serviceStats(String applicationId, String service) {
        visibleApplications.get(applicationId);
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.serviceStats(applicationId, service);
    }
}
