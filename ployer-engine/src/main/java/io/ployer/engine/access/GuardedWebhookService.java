package io.ployer.engine.access;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link WebhookService} as one principal may use it. Receiving a delivery is not the caller's
 * doing (the forge signs it), so it passes through.
 */
final class GuardedWebhookService implements WebhookService {
    private final WebhookService delegate;
    private final Permissions permissions;
    private final Principal principal;

    private final AuditTrail audit;
    private final String clientAddress;

    GuardedWebhookService(WebhookService delegate, Permissions permissions, Principal principal, AuditTrail audit, String clientAddress) {
        this.audit = audit;
        this.clientAddress = clientAddress;
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public Webhook create(String applicationId, String provider) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        Webhook created = delegate.create(applicationId, provider);
        record("webhook.created", application, AuditTrail.change("provider", provider, "secret", AuditTrail.MASK));
        return created;
    }

    private void record(String action, io.ployer.api.application.Application application, java.util.Map<String, String> change) {
        audit.record(principal, clientAddress, action, "application", application.id(), application.projectId(), change);
    }


    @Override
    public Webhook setEnabled(String applicationId, boolean enabled) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        Webhook changed = delegate.setEnabled(applicationId, enabled);
        record("webhook.updated", application, AuditTrail.change("enabled", enabled));
        return changed;
    }

    @Override
    public Optional<Webhook> find(String applicationId) {
        return permissions.maySeeApplication(principal, applicationId) ? delegate.find(applicationId) : Optional.empty();
    }

    @Override
    public Optional<Webhook> reveal(String applicationId) {
        permissions.requireApplication(principal, applicationId, Action.REVEAL_SECRETS);
        return delegate.reveal(applicationId);
    }

    @Override
    public void delete(String applicationId) {
        var application = permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.delete(applicationId);
        record("webhook.deleted", application, java.util.Map.of());
    }

    @Override
    public WebhookDelivery receive(String provider, String applicationId, byte[] body, Map<String, List<String>> headers) {
        return delegate.receive(provider, applicationId, body, headers);
    }

    @Override
    public List<WebhookDelivery> deliveries(String applicationId, int limit) {
        permissions.requireApplication(principal, applicationId, Action.READ);
        return delegate.deliveries(applicationId, limit);
    }
}
