package io.ployer.api.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * The webhook configuration of an application.
 *
 * @param id            stable id
 * @param applicationId the application
 * @param provider      git provider plugin name ({@code github}, {@code gitlab} …)
 * @param secret        shared secret (plain, encrypted or {@code null} depending on where the record is)
 * @param enabled       whether deliveries are accepted
 * @param createdAt     creation time
 */
public record Webhook(String id, String applicationId, String provider, String secret, boolean enabled,
                      Instant createdAt) {
    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Webhook withSecret(String value) {
        return new Webhook(id, applicationId, provider, value, enabled, createdAt);
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", applicationId=" + applicationId + ", provider=" + provider + ", enabled=" + enabled + "]";
    }
}
