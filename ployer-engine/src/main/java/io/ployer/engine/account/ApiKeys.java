package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.User;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The rules and the storage of API keys (only their hashes are kept). */
final class ApiKeys {
    private ApiKeys() {
    }

    static void checkRequest(String name, Set<ApiKeyScope> scopes, Instant expiresAt, Clock clock) {
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw PloyerException.invalid("expires_at", "must be in the future (an ISO-8601 time such as 2030-01-31T00:00:00Z)");
        }
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("name", "is required, at most 100 characters without control characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw PloyerException.invalid("scopes", "must name at least one of read, write, deploy");
        }
    }

    /** Stores a new key of {@code user}, narrowed to {@code projectId} when given (a project the user belongs to). */
    static ApiKey insert(Storage storage, Clock clock, User user, String name, Set<ApiKeyScope> scopes, Instant expiresAt,
                         String projectId, String key, String prefix, String hash) {
        ApiKey apiKey = new ApiKey(UUID.randomUUID().toString(), user.id(), name.strip(), prefix, hash, scopes, clock.instant(),
                null, expiresAt, null, projectId);
        if (projectId != null && (projectId.length() > 64 || storage.projects().find(projectId).isEmpty()
                || (!user.role().instanceAdmin() && storage.projects().memberships(user.id()).stream()
                        .noneMatch(member -> member.projectId().equals(projectId))))) {
            throw PloyerException.invalid("project_id", "must name a project you are a member of");
        }
        storage.inTransaction(tx -> {
            tx.apiKeys().insert(apiKey);
            return null;
        });
        return apiKey;
    }

    static void revoke(Storage storage, Clock clock, String userId, String apiKeyId) {
        storage.inTransaction(tx -> {
            ApiKey key = tx.apiKeys().findById(apiKeyId).filter(found -> found.userId().equals(userId))
                    .orElseThrow(() -> PloyerException.notFound("api key", apiKeyId));
            if (key.revokedAt() == null) {
                tx.apiKeys().update(new ApiKey(key.id(), key.userId(), key.name(), key.prefix(), key.keyHash(), key.scopes(),
                        key.createdAt(), key.lastUsedAt(), key.expiresAt(), clock.instant(), key.projectId()));
            }
            return null;
        });
    }
}
