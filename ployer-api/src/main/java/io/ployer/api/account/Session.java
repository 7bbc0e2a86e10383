package io.ployer.api.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A login session: an opaque bearer token of which only the hash is stored. Its expiry slides: each
 * use moves it forward (up to a cap counted from creation).
 *
 * @param id            stable id
 * @param userId        owner
 * @param tokenHash     hash of the token
 * @param createdAt     creation time
 * @param expiresAt     expiry
 * @param revokedAt     revocation (logout) time, or {@code null}
 * @param lastUsedAt    last use, or {@code null} when never used since login
 * @param clientAddress the address the session logged in from, or {@code null}
 */
public record Session(String id, String userId, String tokenHash, Instant createdAt, Instant expiresAt,
                      Instant revokedAt, Instant lastUsedAt, String clientAddress) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A session without use or address recorded. */
    public Session(String id, String userId, String tokenHash, Instant createdAt, Instant expiresAt, Instant revokedAt) {
        this(id, userId, tokenHash, createdAt, expiresAt, revokedAt, null, null);
    }

    /** This session revoked at {@code at}. */
    public Session revoked(Instant at) {
        return new Session(id, userId, tokenHash, createdAt, expiresAt, at, lastUsedAt, clientAddress);
    }
}
