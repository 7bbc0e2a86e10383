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

    GuardedWebhookService(WebhookService delegate, Permissions permissions, Principal principal) {
        this.delegate = delegate;
        this.permissions = permissions;
        this.principal = principal;
    }

    @Override
    public Webhook create(String applicationId, String provider) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.create(applicationId, provider);
    }

    @Override
    public Webhook setEnabled(String applicationId, boolean enabled) {
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        return delegate.setEnabled(applicationId, enabled);
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
        permissions.requireApplication(principal, applicationId, Action.WRITE);
        delegate.delete(applicationId);
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
