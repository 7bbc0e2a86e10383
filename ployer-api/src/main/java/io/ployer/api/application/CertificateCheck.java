package io.ployer.api.application;

import java.time.Instant;
import java.util.Objects;

/**
 * What the engine's periodic certificate check found for a domain: it connects to the reverse
 * proxy's HTTPS listener with the domain as SNI and reads the certificate served.
 *
 * @param status    {@code ok}, {@code expiring} (within the warning threshold), {@code expired},
 *                  {@code hostname-mismatch} (the certificate does not cover the name) or
 *                  {@code unreachable} (the TLS handshake failed: no certificate is served)
 * @param detail    a sentence for a person
 * @param expiresAt when the served certificate expires, or {@code null} when none was served
 * @param issuer    the served certificate's issuer, or {@code null}
 * @param checkedAt when the check ran
 */
public record CertificateCheck(String status, String detail, Instant expiresAt, String issuer, Instant checkedAt) {
    public CertificateCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(checkedAt, "checkedAt");
    }

    /** Whether the certificate is fine. */
    public boolean ok() {
        return "ok".equals(status);
    }
}
