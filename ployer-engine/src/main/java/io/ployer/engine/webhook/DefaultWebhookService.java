package io.ployer.engine.webhook;

import io.ployer.api.PloyerException;
import io.ployer.api.webhook.Webhook;
import io.ployer.api.webhook.WebhookDelivery;
import io.ployer.api.webhook.WebhookService;
import io.ployer.engine.application.SecretFields;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.Storage;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/** Webhook configuration (with generated, encrypted secrets) and delivery history. */
public final class DefaultWebhookService implements WebhookService {
    /** Secrets are 32 random bytes, hex-encoded. */
    static final int SECRET_BYTES = 32;

    private final Storage storage;
    private final SecretCipher cipher;
    private final Clock clock;
    private final Set<String> providers;
    private final Consumer<String> requireApplication;
    private final SecureRandom random = new SecureRandom();

    public DefaultWebhookService(Storage storage, SecretCipher cipher, Clock clock, Set<String> providers,
                                 Consumer<String> requireApplication) {
        this.storage = storage;
        this.cipher = cipher;
        this.clock = clock;
        this.providers = Set.copyOf(providers);
        this.requireApplication = requireApplication;
    }

    @Override
    public Webhook create(String applicationId, String provider) {
        if (provider == null || !providers.contains(provider)) {
            throw PloyerException.invalid("provider", "must be one of " + new TreeSet<>(providers));
        }
        requireApplication.accept(applicationId);
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        Webhook stored = storage.inTransaction(tx -> {
            Optional<Webhook> existing = tx.webhooks().findByApplication(applicationId);
            Webhook webhook = new Webhook(existing.map(Webhook::id).orElseGet(() -> UUID.randomUUID().toString()),
                    applicationId, provider, cipher.encrypt(applicationId, SecretFields.WEBHOOK_SECRET, secret), true,
                    clock.instant());
            tx.webhooks().upsert(webhook);
            return webhook;
        });
        return stored.withSecret(secret);
    }

    @Override
    public Optional<Webhook> find(String applicationId) {
        requireApplication.accept(applicationId);
        return storage.webhooks().findByApplication(applicationId).map(webhook -> webhook.withSecret(null));
    }

    @Override
    public Optional<Webhook> reveal(String applicationId) {
        requireApplication.accept(applicationId);
        return storage.webhooks().findByApplication(applicationId).map(webhook -> webhook.withSecret(
                cipher.decrypt(applicationId, SecretFields.WEBHOOK_SECRET, webhook.secret())));
    }

    @Override
    public void delete(String applicationId) {
        requireApplication.accept(applicationId);
        boolean deleted = storage.inTransaction(tx -> tx.webhooks().delete(applicationId));
        if (!deleted) {
            throw PloyerException.notFound("webhook of application", applicationId);
        }
    }

    @Override
    public List<WebhookDelivery> deliveries(String applicationId, int limit) {
        requireApplication.accept(applicationId);
        if (limit < 1 || limit > 1000) {
            throw PloyerException.invalid("limit", "must be within 1..1000");
        }
        return storage.webhookDeliveries().listByApplication(applicationId, limit);
    }
}
