package io.ployer.engine.access;

import io.ployer.api.PloyerException;
import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.health.ContainerStats;
import io.ployer.api.health.HealthCheck;
import io.ployer.api.health.HealthCheckResult;
import io.ployer.api.health.HealthService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link HealthService} as one principal may use it. */
final class GuardedHealthService implements HealthService {
    private final HealthService delegate;
    private final Permissions permissions;
    private final Principal principal;

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedHealthService(HealthService delegate, Permissions permissions, Principal principal, AuditTrail audit, String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public HealthCheck configure(HealthCheck check) {
        if (check == null) {
            throw PloyerException.invalid("body", "is required");
        }
        var application = permissions.requireApplication(principal, check.applicationId(), Action.WRITE);
        HealthCheck configured = delegate.configure(check);
        record("health-check.configured", application, AuditTrail.change("path", configured.path()));
        return configured;
    }

    private void record(String action, io.ployer.api.application.Application application, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "application", application.id(), application.projectId(), change);
    }


    @Override
    public Optional<HealthCheck> healthCheck(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.healthCheck(applicationId);
    }

    @Override
    public List<HealthCheckResult> results(String applicationId, int limit) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.results(applicationId, limit);
    }

    @Override
    public List<ContainerStats> stats(String applicationId, Instant from, Instant to) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.stats(applicationId, from, to);
    }

    @Override
    public List<ContainerStats> stats(String applicationId, Instant from, Instant to, Duration step) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.stats(applicationId, from, to, step);
    }
}
