package io.ployer.api.webhook;

import java.util.List;
import java.util.Optional;

/** Webhook configuration and delivery history of applications. */
public interface WebhookService {

    /** Creates or replaces the app's webhook for a provider, generating a fresh secret. Returns it with the plain secret. */
    Webhook create(String applicationId, String provider);

    /** The app's webhook (secret omitted). */
    Optional<Webhook> find(String applicationId);

    /** The app's webhook with its plain secret, for a caller entitled to see it. */
    Optional<Webhook> reveal(String applicationId);

    /** Deletes the app's webhook. */
    void delete(String applicationId);

    /** The app's deliveries, newest first, at most {@code limit}. */
    List<WebhookDelivery> deliveries(String applicationId, int limit);
}
