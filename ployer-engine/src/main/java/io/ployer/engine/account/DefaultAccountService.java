package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.Session;
import io.ployer.api.account.User;
import io.ployer.engine.secret.SecretCipher;
import io.ployer.spi.storage.Storage;
import io.ployer.spi.storage.TotpStore.TotpFactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Accounts on top of storage: argon2id passwords, hashed opaque tokens and API keys, throttled logins. */
public final class DefaultAccountService implements AccountService {
    /** Every API key starts with this, so leaked keys are recognisable (and scannable). */
    public static final String API_KEY_PREFIX = "ployer_";
    private final InstanceRoles roles;
    static final String REGISTRATION_SETTING = "accounts.registration_open";
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final Storage storage;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final Duration sessionLifetime;
    private final LoginThrottle throttle;
    /** TOTP and the throttle on wrong codes and passwords. */
    private final SecondFactors secondFactors;
    /** Resolves bearer credentials and remembers them for a few seconds. */
    private final RecentCredentials credentials;
    /** The field name TOTP secrets are encrypted under (bound into the ciphertext). */
    public static final String TOTP_SECRET_FIELD = "totp_secret";
    private final SecureRandom random = new SecureRandom();
    /**
     * A hash to verify against when the account does not exist, so timing does not reveal which
     * emails exist. Made on the first login, not at start (argon2 holds 19 MiB while it runs).
     */
    private String decoyHash;

    private synchronized String decoyHash() {
        if (decoyHash == null) {
            decoyHash = hasher.hash(UUID.randomUUID().toString());
        }
        return decoyHash;
    }

    public DefaultAccountService(Storage storage, Clock clock, PasswordHasher hasher, Duration sessionLifetime) {
        this(storage, clock, hasher, sessionLifetime, null, false);
    }

    /**
     * @param sessionLifetime idle lifetime of a session: each use extends it this far, up to 30 days after login
     * @param cipher          encrypts TOTP secrets ({@code null}: TOTP is unavailable)
     * @param requireTotp     whether users must turn TOTP on before anything else
     */
    public DefaultAccountService(Storage storage, Clock clock, PasswordHasher hasher, Duration sessionLifetime,
                                 SecretCipher cipher, boolean requireTotp) {
        this.storage = storage;
        this.roles = new InstanceRoles(storage);
        this.clock = clock;
        this.hasher = hasher;
        this.sessionLifetime = sessionLifetime;
        this.secondFactors = new SecondFactors(storage, clock, hasher, cipher, requireTotp, random);
        this.credentials = new RecentCredentials(storage, clock, sessionLifetime, secondFactors, roles);
        this.throttle = new LoginThrottle(clock, 5, Duration.ofSeconds(1), Duration.ofMinutes(15), 10_000);
    }

    @Override
    public User register(String email, String password) {
        String normalised = email(email);
        PasswordPolicy.check("password", password);
        String hash = hasher.hash(password);
        return storage.inTransaction(tx -> {
            boolean first = tx.users().count() == 0;
            if (!first && !tx.settings().get(REGISTRATION_SETTING).map(Boolean::parseBoolean).orElse(false)) {
                throw new PloyerException(StandardErrorCode.PERMISSION_DENIED,
                        "registration is closed; an admin can open it");
            }
            if (tx.users().findByEmail(normalised).isPresent()) {
                throw PloyerException.conflict("email", "an account with this email already exists");
            }
            User user = new User(UUID.randomUUID().toString(), normalised, hash, first ? Role.ADMIN : Role.USER, clock.instant());
            tx.users().insert(user);
            if (first) {
                tx.settings().put(InstanceRoles.OWNER_SETTING, user.id());
                return new User(user.id(), user.email(), user.passwordHash(), Role.OWNER, user.createdAt());
            }
            return user;
        });
    }

    @Override
    public boolean registrationOpen() {
        return storage.users().count() == 0
                || storage.settings().get(REGISTRATION_SETTING).map(Boolean::parseBoolean).orElse(false);
    }

    @Override
    public void setRegistrationOpen(boolean open) {
        storage.inTransaction(tx -> {
            tx.settings().put(REGISTRATION_SETTING, Boolean.toString(open));
            return null;
        });
    }

    @Override
    public IssuedToken login(String email, String password, String clientAddress) {
        return login(email, password, null, null, clientAddress);
    }

    @Override
    public IssuedToken login(String email, String password, String totpCode, String recoveryCode, String clientAddress) {
        if (email == null || password == null) {
            throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "wrong email or password");
        }
        String normalised = email.strip().toLowerCase(Locale.ROOT);
        String accountKey = "account:" + normalised;
        String clientKey = "client:" + (clientAddress == null ? "unknown" : clientAddress);
        Duration wait = max(throttle.waitFor(accountKey), throttle.waitFor(clientKey));
        if (!wait.isZero()) {
            throw new PloyerException(StandardErrorCode.LIMIT_EXCEEDED,
                    "too many failed logins; try again in " + Math.max(1, wait.toSeconds()) + " s");
        }
        Optional<User> user = normalised.length() > 254 ? Optional.empty() : storage.users().findByEmail(normalised);
        boolean matches = hasher.verify(password.length() > 256 ? "" : password, user.map(User::passwordHash).orElseGet(this::decoyHash));
        if (user.isEmpty() || !matches) {
            throttle.failed(accountKey);
            throttle.failed(clientKey);
            throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "wrong email or password");
        }
        throttle.succeeded(accountKey);
        throttle.succeeded(clientKey);
        Optional<TotpFactor> factor = secondFactors.confirmedFactor(user.get().id());
        if (factor.isPresent()) {
            if (SecondFactors.isBlank(totpCode) && SecondFactors.isBlank(recoveryCode)) {
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp", TOTP_REQUIRED_MESSAGE, null);
            }
            secondFactors.verifySecondFactor(factor.get(), totpCode, recoveryCode);
        }
        String token = newSecret(32);
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID().toString(), user.get().id(), sha256(token), now,
                now.plus(sessionLifetime), null, now, clientAddress == null || clientAddress.length() > 100 ? null : clientAddress);
        storage.inTransaction(tx -> {
            tx.sessions().insert(session);
            tx.sessions().deleteExpired(now);
            return null;
        });
        return new IssuedToken(token, session, roles.shown(user.get()));
    }

    @Override
    public Optional<Principal> authenticate(String bearer) {
        return credentials.authenticate(bearer);
    }

    /**
     * Resolves a bearer credential the way {@link #authenticate} does, from memory only (never
     * reading storage); empty when not known there. The server reaches it through {@code io.ployer.seam.ServerSeam}.
     */
    public Optional<Principal> authenticateFromMemory(String bearer) {
        return credentials.fromMemory(bearer);
    }

    @Override
    public void logout(String token) {
        if (token == null || token.isBlank()) {
            return;
        }
        String hash = sha256(token);
        forgetCached();
        storage.inTransaction(tx -> {
            tx.sessions().findByTokenHash(hash).filter(session -> session.revokedAt() == null).ifPresent(session ->
                    tx.sessions().update(session.revoked(clock.instant())));
            return null;
        });
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes) {
        return createApiKey(userId, name, scopes, null);
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, Instant expiresAt) {
        return createApiKey(userId, name, scopes, expiresAt, null);
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes, Instant expiresAt, String projectId) {
        ApiKeys.checkRequest(name, scopes, expiresAt, clock);
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        String key = API_KEY_PREFIX + newSecret(32);
        return new IssuedApiKey(key, ApiKeys.insert(storage, clock, user, name, scopes, expiresAt, projectId, key,
                key.substring(0, API_KEY_PREFIX.length() + 6), sha256(key)));
    }

    @Override
    public List<ApiKey> apiKeys(String userId) {
        return storage.apiKeys().listByUser(userId);
    }

    @Override
    public void revokeApiKey(String userId, String apiKeyId) {
        forgetCached();
        ApiKeys.revoke(storage, clock, userId, apiKeyId);
    }

    @Override
    public void resetPassword(String email, String newPassword) {
        String normalised = email(email);
        PasswordPolicy.check("password", newPassword);
        String hash = hasher.hash(newPassword);
        forgetCached();
        storage.inTransaction(tx -> {
            User user = tx.users().findByEmail(normalised).orElseThrow(() -> PloyerException.notFound("user", normalised));
            tx.users().update(new User(user.id(), user.email(), hash, user.role(), user.createdAt()));
            tx.sessions().revokeAll(user.id(), clock.instant());
            return null;
        });
    }

    @Override
    public Optional<User> findUser(String userId) {
        if (userId == null || userId.length() > 64) {
            return Optional.empty();
        }
        return storage.users().findById(userId).map(roles::shown);
    }

    @Override
    public List<User> users() {
        return storage.users().list().stream().map(roles::shown).toList();
    }

    @Override
    public void setRole(String userId, io.ployer.api.account.Role role) {
        forgetCached();
        roles.setRoleAsSystem(userId, role);
    }

    @Override
    public User setRole(String actingUserId, String userId, io.ployer.api.account.Role role) {
        forgetCached();
        return roles.shown(roles.setRole(actingUserId, userId, role));
    }

    @Override
    public User transferOwnership(String actingUserId, String newOwnerId) {
        forgetCached();
        return roles.transfer(actingUserId, newOwnerId);
    }

    @Override
    public void removeUser(String actingUserId, String userId) {
        forgetCached();
        roles.remove(actingUserId, userId);
    }

    // ---- sessions -------------------------------------------------------------------------------

    @Override
    public List<Session> sessions(String userId) {
        Instant now = clock.instant();
        return storage.sessions().listByUser(userId).stream()
                .filter(session -> session.revokedAt() == null && session.expiresAt().isAfter(now)).toList();
    }

    @Override
    public void revokeSession(String userId, String sessionId) {
        forgetCached();
        storage.inTransaction(tx -> {
            Session session = (sessionId == null || sessionId.length() > 64 ? Optional.<Session>empty() : tx.sessions().findById(sessionId))
                    .filter(found -> found.userId().equals(userId) && found.revokedAt() == null)
                    .orElseThrow(() -> PloyerException.notFound("session", sessionId));
            tx.sessions().update(session.revoked(clock.instant()));
            return null;
        });
    }

    @Override
    public int revokeSessions(String userId) {
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        forgetCached();
        return storage.inTransaction(tx -> tx.sessions().revokeAll(user.id(), clock.instant()));
    }

    // ---- password change ------------------------------------------------------------------------

    @Override
    public void changePassword(String userId, String currentPassword, String newPassword, String keepSessionId) {
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw PloyerException.invalid("current_password", "is required");
        }
        if (newPassword == null) {
            throw PloyerException.invalid("new_password", "is required");
        }
        secondFactors.verifyPassword(user.id(), currentPassword, user.passwordHash(), "current_password",
                "is not your current password");
        if (newPassword.equals(currentPassword)) {
            throw PloyerException.invalid("new_password", "must differ from the current password");
        }
        PasswordPolicy.check("new_password", newPassword);
        String hash = hasher.hash(newPassword);
        forgetCached();
        storage.inTransaction(tx -> {
            User current = tx.users().findById(user.id()).orElseThrow(() -> PloyerException.notFound("user", userId));
            tx.users().update(new User(current.id(), current.email(), hash, current.role(), current.createdAt()));
            tx.sessions().revokeAllExcept(current.id(), keepSessionId, clock.instant());
            return null;
        });
    }

    // ---- TOTP (SecondFactors) --------------------------------------------------------------------

    @Override
    public TotpEnrolment enrolTotp(String userId) {
        secondFactors.requireTotpSupport();
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        return secondFactors.enrol(user);
    }

    @Override
    public List<String> confirmTotp(String userId, String code) {
        return secondFactors.confirm(userId, code, this::forgetCached);
    }

    @Override
    public void disableTotp(String userId, String code, String password) {
        secondFactors.requireTotpSupport();
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        secondFactors.disable(user, code, password, this::forgetCached);
    }

    @Override
    public TotpStatus totpStatus(String userId) {
        return secondFactors.status(userId);
    }

    /** Drops every cached credential (after anything that may revoke one). */
    private void forgetCached() {
        credentials.forget();
    }

    static String email(String email) {
        if (email == null || email.isBlank()) {
            throw PloyerException.invalid("email", "is required");
        }
        String normalised = email.strip().toLowerCase(Locale.ROOT);
        if (normalised.length() > 254 || !EMAIL.matcher(normalised).matches()) {
            throw PloyerException.invalid("email", "must be an email address such as ada@example.com");
        }
        return normalised;
    }

    private String newSecret(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return TOKEN_ENCODING.encodeToString(value);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Duration max(Duration first, Duration second) {
        return first.compareTo(second) >= 0 ? first : second;
    }
}
