package io.ployer.api.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A login session: an opaque bearer token of which only the hash is stored.
 *
 * @param id        stable id
 * @param userId    owner
 * @param tokenHash hash of the token
 * @param createdAt creation time
 * @param expiresAt expiry
 * @param revokedAt revocation (logout) time, or {@code null}
 */
public record Session(String id, String userId, String tokenHash, Instant createdAt, Instant expiresAt,
                      Instant revokedAt) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
