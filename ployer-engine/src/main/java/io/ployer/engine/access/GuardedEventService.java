package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.event.EventService;
import io.ployer.api.event.EventSubscription;
import io.ployer.api.event.PloyerEvent;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@link EventService} as one principal may use it: a subscriber receives the events of the
 * applications it may see, server events, and (instance admins only) container output and any
 * event this class does not know.
 */
final class GuardedEventService implements EventService {
    private final EventService delegate;
    private final Permissions permissions;
    private final Principal principal;

    GuardedEventService(EventService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public EventSubscription subscribe(Predicate<? super PloyerEvent> filter, Consumer<? super PloyerEvent> listener) {
        return delegate.subscribe(event -> filter.test(event) && visible(event), listener);
    }

    private boolean visible(PloyerEvent event) {
        if (Permissions.isInstanceAdmin(principal)) {
            return true;
        }
        String applicationId = null;
        if (event instanceof PloyerEvent.DeploymentStatusChanged changed) {
            applicationId = changed.applicationId();
        } else if (event instanceof PloyerEvent.DeploymentLogged logged) {
            applicationId = logged.applicationId();
        } else if (event instanceof PloyerEvent.HealthChanged changed) {
            applicationId = changed.applicationId();
        } else if (event instanceof PloyerEvent.HealthChecked checked) {
            applicationId = checked.result().applicationId();
        } else if (event instanceof PloyerEvent.StatsSampled sampled) {
            applicationId = sampled.stats().applicationId();
        } else if (event instanceof PloyerEvent.WebhookReceived received) {
            applicationId = received.applicationId();
        } else if (event instanceof PloyerEvent.PreviewChanged preview) {
            applicationId = preview.applicationId();
        } else if (event instanceof PloyerEvent.CertificateProblem problem) {
            applicationId = problem.applicationId();
        } else if (event instanceof PloyerEvent.CertificateRecovered recovered) {
            applicationId = recovered.applicationId();
        } else if (event instanceof PloyerEvent.ServerStatusChanged) {
            return true;
        }
        return applicationId != null && permissions.maySeeApplication(principal, applicationId);
    }
}
