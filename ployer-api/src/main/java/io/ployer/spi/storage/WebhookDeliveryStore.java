package io.ployer.spi.storage;

import io.ployer.api.webhook.WebhookDelivery;
import java.util.List;
import java.util.Optional;

/** Webhook delivery history. */
public interface WebhookDeliveryStore {
    void insert(WebhookDelivery delivery);

    /** Replaces the row with the same id. */
    void update(WebhookDelivery delivery);

    /**
     * The first recorded delivery of the app with this forge delivery id that was handled (any status but
     * {@code FAILED}). A failed one (rejected as unverified, unparseable, or whose deployment could not start)
     * never makes a later delivery with the same id a duplicate: anyone may send a forged request with a
     * guessed id, and the forge's redelivery must still be acted on.
     */
    Optional<WebhookDelivery> findByDeliveryId(String applicationId, String deliveryId);

    /** The app's deliveries, newest first, at most {@code limit}. */
    List<WebhookDelivery> listByApplication(String applicationId, int limit);
}
