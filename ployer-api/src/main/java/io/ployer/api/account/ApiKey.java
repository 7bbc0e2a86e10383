package io.ployer.api.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An API key of a user. Only its hash is stored; the key itself is shown once, at creation.
 *
 * @param id         stable id
 * @param userId     owner
 * @param name       label given by the user
 * @param prefix     the recognisable first characters of the key, for display
 * @param keyHash    hash of the whole key
 * @param scopes     what it may do
 * @param createdAt  creation time
 * @param lastUsedAt last use, or {@code null}
 * @param expiresAt  expiry, or {@code null} for none
 * @param revokedAt  revocation time, or {@code null}
 * @param projectId  the one project the key may reach, or {@code null} for every project its user may reach
 */
public record ApiKey(String id, String userId, String name, String prefix, String keyHash, Set<ApiKeyScope> scopes,
                     Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt, String projectId) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(keyHash, "keyHash");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A key that reaches every project its user may reach. */
    public ApiKey(String id, String userId, String name, String prefix, String keyHash, Set<ApiKeyScope> scopes,
                  Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt) {
        this(id, userId, name, prefix, keyHash, scopes, createdAt, lastUsedAt, expiresAt, revokedAt, null);
    }
}
