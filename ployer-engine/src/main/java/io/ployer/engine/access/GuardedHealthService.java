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

    GuardedHealthService(HealthService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public HealthCheck configure(HealthCheck check) {
        if (check == null) {
            throw PloyerException.invalid("body", "is required");
        }
        permissions.requireApplication(principal, check.applicationId(), Action.WRITE);
        return delegate.configure(check);
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
