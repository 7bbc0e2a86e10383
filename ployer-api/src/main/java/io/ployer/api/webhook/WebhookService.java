package io.ployer.api.webhook;

import java.util.List;
import java.util.Optional;

/** Webhook configuration and delivery history of applications. */
public interface WebhookService {

    /** Creates or replaces the app's webhook for a provider, generating a fresh secret. Returns it with the plain secret. */
    Webhook create(String applicationId, String provider);

    /**
     * Turns the app's webhook on or off, keeping its secret: a disabled webhook still verifies and
     * records deliveries but deploys nothing (they are SKIPPED, "the webhook is disabled").
     * Returns it with the secret omitted; NOT_FOUND when the app has no webhook.
     */
    Webhook setEnabled(String applicationId, boolean enabled);

    /** The app's webhook (secret omitted). */
    Optional<Webhook> find(String applicationId);

    /** The app's webhook with its plain secret, for a caller entitled to see it. */
    Optional<Webhook> reveal(String applicationId);

    /** Deletes the app's webhook. */
    void delete(String applicationId);

    /**
     * Handles a delivery from a forge: verifies it over the raw body with the app's secret, records
     * it, and deploys a push to the app's branch (when auto-deploy is on). Duplicates (same forge
     * delivery id), other branches, tags, deletions and pings are recorded as SKIPPED. A delivery
     * that fails verification is recorded as FAILED (without its body) and refused with
     * WEBHOOK_REJECTED; a body that is not the forge's payload with INVALID_ARGUMENT.
     *
     * @param provider      the forge named in the URL
     * @param applicationId the application named in the URL
     * @param body          the raw request body
     * @param headers       the request headers
     */
    WebhookDelivery receive(String provider, String applicationId, byte[] body, java.util.Map<String, List<String>> headers);

    /** The app's deliveries, newest first, at most {@code limit}. */
    List<WebhookDelivery> deliveries(String applicationId, int limit);
}
