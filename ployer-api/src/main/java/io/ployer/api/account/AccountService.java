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

    /** Opens or closes registration as {@code actingUserId} (an instance admin), recorded in the audit log. */
    default void setRegistrationOpen(String actingUserId, boolean open) {
        setRegistrationOpen(open);
    }

    /**
     * Checks credentials and issues a session token. Failed attempts are throttled per account
     * and per client address (LIMIT_EXCEEDED while throttled); wrong credentials are
     * UNAUTHENTICATED without saying which part was wrong.
     *
     * @param clientAddress the caller's address, for throttling (may be {@code null})
     */
    IssuedToken login(String email, String password, String clientAddress);

    /**
     * Logs in like {@link #login(String, String, String)}, with a second factor for a user who has
     * TOTP on: {@code totpCode} (the authenticator's 6 digits) or {@code recoveryCode} (one of the
     * codes shown at confirmation, each usable once). Without either, such a user's right password
     * answers UNAUTHENTICATED with the message {@link #TOTP_REQUIRED_MESSAGE}. A code already used in
     * its time step is refused; wrong codes are throttled per user (LIMIT_EXCEEDED).
     */
    default IssuedToken login(String email, String password, String totpCode, String recoveryCode, String clientAddress) {
        if (totpCode != null || recoveryCode != null) {
            throw new UnsupportedOperationException("this account service has no second factor");
        }
        return login(email, password, clientAddress);
    }

    /** What a login without the second factor of a user who has one answers (UNAUTHENTICATED). */
    String TOTP_REQUIRED_MESSAGE = "this account needs a second factor: send the 6-digit code of your authenticator "
            + "as 'totp' (or a recovery code as 'recovery_code') with the email and password";

    /**
     * Starts (or restarts, while not confirmed) TOTP enrolment: a new secret, not in force until
     * {@link #confirmTotp} gets a code made from it. CONFLICT when TOTP is already on.
     */
    default TotpEnrolment enrolTotp(String userId) {
        throw new UnsupportedOperationException("this account service has no second factor");
    }

    /**
     * Confirms enrolment with a first code and turns TOTP on: returns the recovery codes, shown this
     * once. INVALID_ARGUMENT (field {@code code}) for a wrong code.
     */
    default List<String> confirmTotp(String userId, String code) {
        throw new UnsupportedOperationException("this account service has no second factor");
    }

    /** Turns TOTP off, proven by a current code or the password; its recovery codes go with it. */
    default void disableTotp(String userId, String code, String password) {
        throw new UnsupportedOperationException("this account service has no second factor");
    }

    /** Whether TOTP is on for a user, and how many unused recovery codes are left. */
    default TotpStatus totpStatus(String userId) {
        return new TotpStatus(false, false, 0, false);
    }

    /** A user's sessions that are still valid (neither revoked nor expired), newest first. */
    default List<Session> sessions(String userId) {
        throw new UnsupportedOperationException("this account service does not list sessions");
    }

    /** Revokes one of a user's sessions; NOT_FOUND when the user has no such session. */
    default void revokeSession(String userId, String sessionId) {
        throw new UnsupportedOperationException("this account service does not revoke sessions");
    }

    /** Revokes every session of a user (an admin's action); returns how many. */
    default int revokeSessions(String userId) {
        throw new UnsupportedOperationException("this account service does not revoke sessions");
    }

    /**
     * A user changes their own password, proving the current one: every other session of theirs is
     * revoked ({@code keepSessionId}, the caller's own session, stays). The new one must pass the
     * password policy (length, not a well-known password).
     */
    default void changePassword(String userId, String currentPassword, String newPassword, String keepSessionId) {
        throw new UnsupportedOperationException("this account service does not change passwords");
    }

    /** Issues an API key that stops working at {@code expiresAt} ({@code null}: never). */
    default IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, java.time.Instant expiresAt) {
        if (expiresAt != null) {
            throw new UnsupportedOperationException("this account service has no key expiry");
        }
        return createApiKey(userId, name, scopes);
    }

    /**
     * A started TOTP enrolment.
     *
     * @param secret the shared secret in base32, for typing into an authenticator
     * @param uri    the {@code otpauth://totp/…} URI, for a QR code
     */
    record TotpEnrolment(String secret, String uri) {
        @Override
        public String toString() {
            return "TotpEnrolment[***]";
        }
    }

    /**
     * @param enabled            whether TOTP is on (confirmed)
     * @param pending            whether an enrolment awaits confirmation
     * @param recoveryCodesLeft  unused recovery codes
     * @param required           whether this instance requires TOTP of every user
     */
    record TotpStatus(boolean enabled, boolean pending, int recoveryCodesLeft, boolean required) {
    }

    /** Resolves a bearer credential (session token or API key) to its principal, if valid now. */
    Optional<Principal> authenticate(String bearer);

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
     * Makes a user an instance admin ({@link Role#ADMIN}: everything, in every project) or takes it
     * away ({@link Role#USER}: only what their project roles allow). NOT_FOUND for an unknown user.
     * Credentials already resolved keep the old role for at most the engine's short principal cache.
     */
    default void setRole(String userId, Role role) {
        throw new UnsupportedOperationException("this account service does not change roles");
    }

    /**
     * Changes a user's instance role as {@code actingUserId}: only the {@link Role#OWNER} may make or
     * unmake admins (PERMISSION_DENIED for anyone else), the owner's own role changes only by
     * {@link #transferOwnership}, and {@code role} is ADMIN or USER (INVALID_ARGUMENT naming
     * {@code role} otherwise). NOT_FOUND for an unknown user. Returns the changed user.
     */
    default User setRole(String actingUserId, String userId, Role role) {
        throw new UnsupportedOperationException("this account service has no instance owner");
    }

    /**
     * Hands the instance's ownership from {@code actingUserId} (who must be the owner) to another
     * user, who becomes {@link Role#OWNER}; the former owner stays an ADMIN.
     */
    default User transferOwnership(String actingUserId, String newOwnerId) {
        throw new UnsupportedOperationException("this account service has no instance owner");
    }

    /**
     * Removes a user as {@code actingUserId}: an instance admin may remove users, only the owner may
     * remove an admin, and nobody removes the owner (or themselves). Their sessions, keys and
     * memberships go with them. NOT_FOUND for an unknown user.
     */
    default void removeUser(String actingUserId, String userId) {
        throw new UnsupportedOperationException("this account service does not remove users");
    }

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
     * Like {@link #createApiKey(String, String, Set, java.time.Instant)}, narrowed to one project
     * ({@code null}: every project the user may reach): the key then reaches nothing else, not even
     * when its user is an instance admin. INVALID_ARGUMENT naming {@code project_id} for a project
     * that does not exist or the user has no role in.
     */
    default IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, java.time.Instant expiresAt,
                                      String projectId) {
        if (projectId != null) {
            throw new UnsupportedOperationException("this account service cannot narrow keys to a project");
        }
        return createApiKey(userId, name, scopes, expiresAt);
    }

    /**
     * Who is calling.
     *
     * @param user   the user
     * @param scopes what the credential allows (a session allows everything its role allows)
     * @param apiKey whether the credential is an API key
     * @param sessionId the session of a session credential, or {@code null}
     * @param mustEnrolTotp whether the instance requires TOTP and this user has not turned it on yet:
     *                  such a caller may only enrol (and see who they are, and log out)
     * @param projectId the one project an API key is narrowed to, or {@code null}
     */
    record Principal(User user, Set<ApiKeyScope> scopes, boolean apiKey, String sessionId, boolean mustEnrolTotp,
                     String projectId) {
        public Principal {
            scopes = Set.copyOf(scopes);
        }

        public Principal(User user, Set<ApiKeyScope> scopes, boolean apiKey, String sessionId, boolean mustEnrolTotp) {
            this(user, scopes, apiKey, sessionId, mustEnrolTotp, null);
        }

        public Principal(User user, Set<ApiKeyScope> scopes, boolean apiKey) {
            this(user, scopes, apiKey, null, false);
        }

        public boolean isAdmin() {
            // A key narrowed to one project is no instance admin, whoever its user is.
            return user.role().instanceAdmin() && projectId == null;
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
