package io.ployer.spi.storage;

import io.ployer.api.webhook.Webhook;
import java.util.List;
import java.util.Optional;

/** Webhook configuration, one per application; the secret is stored as given (encrypted). */
public interface WebhookStore {
    Optional<Webhook> findByApplication(String applicationId);

    Optional<Webhook> findById(String id);

    /** Inserts, or replaces the application's webhook. */
    void upsert(Webhook webhook);

    boolean delete(String applicationId);

    List<Webhook> listAll();
}
