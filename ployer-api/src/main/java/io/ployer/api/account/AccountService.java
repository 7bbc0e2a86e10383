package io.ployer.api.account;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * People and their credentials: registration (the first user becomes admin), login with opaque
 * bearer tokens, API keys with scopes. Passwords are stored as argon2id hashes, tokens and keys
 * as SHA-256 hashes; plain tokens and keys are returned once, when issued, and never again.
 */
public interface AccountService {

    /**
     * Registers a user. The first user becomes ADMIN (atomically: of N concurrent first
     * registrations exactly one is admin); afterwards registration is closed unless an admin
     * opened it. Fails with INVALID_ARGUMENT (email, password), CONFLICT (email taken) or
     * PERMISSION_DENIED (registration closed).
     */
    User register(String email, String password);

    /** Whether anyone may register now. */
    boolean registrationOpen();

    /** Opens or closes registration (for an admin caller; the server checks the role). */
    void setRegistrationOpen(boolean open);

    /**
     * Checks credentials and issues a session token. Failed attempts are throttled per account
     * and per client address (LIMIT_EXCEEDED while throttled); wrong credentials are
     * UNAUTHENTICATED without saying which part was wrong.
     *
     * @param clientAddress the caller's address, for throttling (may be {@code null})
     */
    IssuedToken login(String email, String password, String clientAddress);

    /** Resolves a bearer credential (session token or API key) to its principal, if valid now. */
    Optional<Principal> authenticate(String bearer);

    /**
     * Resolves a bearer credential the way {@link #authenticate} does, but only from what is held in
     * memory: it never reads storage or blocks, so a non-blocking HTTP layer may call it on an I/O
     * thread. Empty when the credential is not known in memory (call {@code authenticate} off the
     * I/O thread then), so empty does not mean invalid. What is held in memory is never answered
     * past the credential's own expiry (a session's, or an API key's). The default knows nothing.
     */
    default Optional<Principal> authenticateFromMemory(String bearer) {
        return Optional.empty();
    }

    /** Revokes a session token; unknown tokens are ignored. */
    void logout(String token);

    /** Issues an API key for a user; the plain key is in the result and nowhere else. */
    IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes);

    /** A user's API keys (hashes only). */
    List<ApiKey> apiKeys(String userId);

    /** Revokes one of a user's API keys; NOT_FOUND when the user has no such key. */
    void revokeApiKey(String userId, String apiKeyId);

    /** Sets a new password for a user (operator action) and revokes the user's sessions. */
    void resetPassword(String email, String newPassword);

    Optional<User> findUser(String userId);

    List<User> users();

    /**
     * A freshly issued session token.
     *
     * @param token     the plain bearer token (shown once)
     * @param session   the stored session
     * @param user      its user
     */
    record IssuedToken(String token, Session session, User user) {
        @Override
        public String toString() {
            return "IssuedToken[session=" + session.id() + ", user=" + user.id() + "]";
        }
    }

    /**
     * A freshly issued API key.
     *
     * @param key    the plain key (shown once)
     * @param apiKey the stored key
     */
    record IssuedApiKey(String key, ApiKey apiKey) {
        @Override
        public String toString() {
            return "IssuedApiKey[id=" + apiKey.id() + ", prefix=" + apiKey.prefix() + "]";
        }
    }

    /**
     * Who is calling.
     *
     * @param user   the user
     * @param scopes what the credential allows (a session allows everything its role allows)
     * @param apiKey whether the credential is an API key
     */
    record Principal(User user, Set<ApiKeyScope> scopes, boolean apiKey) {
        public Principal {
            scopes = Set.copyOf(scopes);
        }

        public boolean isAdmin() {
            return user.role() == Role.ADMIN;
        }

        /**
         * Whether this caller may read container output, over REST or a live stream alike: only
         * admins, since a container prints anything its app prints (its secrets included) and
         * containers are not bound to an application a user could be checked against.
         */
        public boolean mayReadContainerLogs() {
            return isAdmin() && scopes.contains(ApiKeyScope.READ);
        }

        /**
         * Whether this caller may see secret values in clear ({@code ?reveal=true}): an admin whose
         * credential may also write (a session, or an API key with the write scope). A read-only
         * key, the kind handed to dashboards and monitoring, never sees a secret.
         */
        public boolean mayRevealSecrets() {
            return isAdmin() && scopes.contains(ApiKeyScope.WRITE);
        }
    }
}
