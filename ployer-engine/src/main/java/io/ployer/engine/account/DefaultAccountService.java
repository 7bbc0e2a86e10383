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
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The cipher TOTP secrets are stored with ({@code null}: no second factor on this service). */
    private final SecretCipher cipher;
    /** Whether every user must turn TOTP on before doing anything else. */
    private final boolean requireTotp;
    /** Wrong second-factor codes: 5 a user per 5 minutes. */
    private final CodeThrottle codeThrottle;
    /** However often a session is used, it ends this long after login. */
    static final Duration SESSION_CAP = Duration.ofDays(30);
    /** A session's use is written back (sliding its expiry) at most this often. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /** The field name TOTP secrets are encrypted under (bound into the ciphertext). */
    public static final String TOTP_SECRET_FIELD = "totp_secret";
    private final SecureRandom random = new SecureRandom();
    /**
     * A hash to verify against when the account does not exist, so timing does not reveal which
     * emails exist. Made on the first login, not at start (argon2 holds 19 MiB while it runs).
     */
    private String decoyHash;
    /**
     * Recently resolved credentials, so a busy client does not cost two database reads per request.
     * Entries live a few seconds and never past the credential's own expiry, are bounded in number,
     * and are dropped at once on logout, key revocation and password reset (every change goes
     * through this service).
     */
    private final Map<String, CachedPrincipal> recent = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedPrincipal> eldest) {
            return size() > 10_000;
        }
    };
    static final Duration CACHE_LIFETIME = Duration.ofSeconds(5);

    private record CachedPrincipal(Principal principal, Instant validUntil) {
    }

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
     * @param sessionLifetime idle lifetime of a session: each use extends it this far, up to {@link #SESSION_CAP}
     * @param cipher          encrypts TOTP secrets ({@code null}: TOTP is unavailable)
     * @param requireTotp     whether users must turn TOTP on before anything else
     */
    public DefaultAccountService(Storage storage, Clock clock, PasswordHasher hasher, Duration sessionLifetime,
                                 SecretCipher cipher, boolean requireTotp) {
        this.cipher = cipher;
        this.requireTotp = requireTotp;
        this.codeThrottle = new CodeThrottle(clock, 5, Duration.ofMinutes(5));
        this.storage = storage;
        this.roles = new InstanceRoles(storage);
        this.clock = clock;
        this.hasher = hasher;
        this.sessionLifetime = sessionLifetime;
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
        Optional<TotpFactor> factor = confirmedFactor(user.get().id());
        if (factor.isPresent()) {
            if (isBlank(totpCode) && isBlank(recoveryCode)) {
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp", TOTP_REQUIRED_MESSAGE, null);
            }
            verifySecondFactor(factor.get(), totpCode, recoveryCode);
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
        if (bearer == null || bearer.isBlank() || bearer.length() > 512) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = sha256(bearer);
        Optional<Principal> cached = fromMemory(hash, now);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<CachedPrincipal> resolved = resolve(bearer, hash, now);
        resolved.ifPresent(found -> {
            synchronized (recent) {
                recent.put(hash, found);
            }
        });
        return resolved.map(CachedPrincipal::principal);
    }

    /**
     * How long a resolved credential is remembered: {@link #CACHE_LIFETIME}, but never past the
     * credential's own expiry (a session's, or an API key's when it has one).
     */
    static Instant rememberUntil(Instant now, Instant expiresAt) {
        Instant until = now.plus(CACHE_LIFETIME);
        return expiresAt != null && expiresAt.isBefore(until) ? expiresAt : until;
    }

    @Override
    public Optional<Principal> authenticateFromMemory(String bearer) {
        if (bearer == null || bearer.isBlank() || bearer.length() > 512) {
            return Optional.empty();
        }
        return fromMemory(sha256(bearer), clock.instant());
    }

    private Optional<Principal> fromMemory(String hash, Instant now) {
        synchronized (recent) {
            CachedPrincipal cached = recent.get(hash);
            if (cached != null && now.isBefore(cached.validUntil())) {
                return Optional.of(cached.principal());
            }
            recent.remove(hash);
            return Optional.empty();
        }
    }

    private Optional<CachedPrincipal> resolve(String bearer, String hash, Instant now) {
        if (bearer.startsWith(API_KEY_PREFIX)) {
            return storage.apiKeys().findByHash(hash)
                    .filter(key -> key.revokedAt() == null && (key.expiresAt() == null || key.expiresAt().isAfter(now)))
                    .flatMap(key -> storage.users().findById(key.userId()).map(roles::shown).map(user ->
                            new CachedPrincipal(new Principal(user, key.scopes(), true, null,
                                    requireTotp && confirmedFactor(user.id()).isEmpty(), key.projectId()),
                                    rememberUntil(now, key.expiresAt()))));
        }
        return storage.sessions().findByTokenHash(hash)
                .filter(session -> session.revokedAt() == null && session.expiresAt().isAfter(now))
                .map(session -> slide(session, now))
                .flatMap(session -> storage.users().findById(session.userId()).map(roles::shown).map(user ->
                        new CachedPrincipal(new Principal(user, EnumSet.allOf(ApiKeyScope.class), false, session.id(),
                                requireTotp && confirmedFactor(user.id()).isEmpty()),
                                rememberUntil(now, session.expiresAt()))));
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
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw PloyerException.invalid("expires_at", "must be in the future (an ISO-8601 time such as 2030-01-31T00:00:00Z)");
        }
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("name", "is required, at most 100 characters without control characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw PloyerException.invalid("scopes", "must name at least one of read, write, deploy");
        }
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        String key = API_KEY_PREFIX + newSecret(32);
        ApiKey apiKey = new ApiKey(UUID.randomUUID().toString(), user.id(), name.strip(), key.substring(0, API_KEY_PREFIX.length() + 6),
                sha256(key), scopes, clock.instant(), null, expiresAt, null, projectId);
        if (projectId != null && (projectId.length() > 64 || storage.projects().find(projectId).isEmpty()
                || (!user.role().instanceAdmin() && storage.projects().memberships(user.id()).stream()
                        .noneMatch(member -> member.projectId().equals(projectId))))) {
            throw PloyerException.invalid("project_id", "must name a project you are a member of");
        }
        storage.inTransaction(tx -> {
            tx.apiKeys().insert(apiKey);
            return null;
        });
        return new IssuedApiKey(key, apiKey);
    }

    @Override
    public List<ApiKey> apiKeys(String userId) {
        return storage.apiKeys().listByUser(userId);
    }

    @Override
    public void revokeApiKey(String userId, String apiKeyId) {
        forgetCached();
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

    /**
     * Slides a session's expiry on use: {@code sessionLifetime} from now, never past
     * {@link #SESSION_CAP} after login. Written back at most once per {@link #TOUCH_INTERVAL}.
     */
    private Session slide(Session session, Instant now) {
        if (session.lastUsedAt() != null && session.lastUsedAt().plus(TOUCH_INTERVAL).isAfter(now)) {
            return session;
        }
        Instant cap = session.createdAt().plus(SESSION_CAP);
        Instant slid = now.plus(sessionLifetime);
        Instant expiresAt = slid.isAfter(cap) ? cap : slid;
        if (expiresAt.isBefore(session.expiresAt())) {
            expiresAt = session.expiresAt();
        }
        Session touched = new Session(session.id(), session.userId(), session.tokenHash(), session.createdAt(), expiresAt,
                session.revokedAt(), now, session.clientAddress());
        storage.inTransaction(tx -> {
            tx.sessions().update(touched);
            return null;
        });
        return touched;
    }

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
        String key = "password:" + user.id();
        throwIfThrottled(key);
        if (!hasher.verify(currentPassword.length() > 256 ? "" : currentPassword, user.passwordHash())) {
            codeThrottle.failed(key);
            throw PloyerException.invalid("current_password", "is not your current password");
        }
        codeThrottle.succeeded(key);
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

    // ---- TOTP -----------------------------------------------------------------------------------

    private Optional<TotpFactor> factor(String userId) {
        if (cipher == null) {
            return Optional.empty();
        }
        try {
            return storage.totp().find(userId);
        } catch (UnsupportedOperationException noSecondFactors) {
            return Optional.empty();
        }
    }

    private Optional<TotpFactor> confirmedFactor(String userId) {
        return factor(userId).filter(found -> found.confirmedAt() != null);
    }

    private void requireTotpSupport() {
        if (cipher == null) {
            throw new PloyerException(StandardErrorCode.INVALID_STATE, "two-factor authentication is not available on this service");
        }
    }

    private void throwIfThrottled(String key) {
        Duration wait = codeThrottle.waitFor(key);
        if (!wait.isZero() && !wait.isNegative()) {
            throw new PloyerException(StandardErrorCode.LIMIT_EXCEEDED,
                    "too many wrong codes or passwords; try again in " + Math.max(1, wait.toSeconds()) + " s");
        }
    }

    private byte[] secretOf(TotpFactor factor) {
        return Totp.fromBase32(cipher.decrypt(factor.userId(), TOTP_SECRET_FIELD, factor.secret()));
    }

    /** Checks a TOTP code (refusing replays) or a recovery code (using it up), throttling wrong ones. */
    private void verifySecondFactor(TotpFactor factor, String totpCode, String recoveryCode) {
        String key = "totp:" + factor.userId();
        throwIfThrottled(key);
        if (!isBlank(totpCode)) {
            long step = Totp.matchingStep(secretOf(factor), Totp.step(clock.instant().getEpochSecond()), totpCode.strip());
            if (step < 0) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp",
                        "the code is wrong or expired; enter the code your authenticator shows now", null);
            }
            if (!storage.inTransaction(tx -> tx.totp().advanceStep(factor.userId(), step))) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "totp",
                        "this code was already used; wait for your authenticator's next code", null);
            }
        } else {
            String hash = sha256(normaliseRecoveryCode(recoveryCode));
            if (!storage.inTransaction(tx -> tx.totp().useRecoveryCode(factor.userId(), hash, clock.instant()))) {
                codeThrottle.failed(key);
                throw new PloyerException(StandardErrorCode.UNAUTHENTICATED, "recovery_code",
                        "the recovery code is wrong or was already used", null);
            }
        }
        codeThrottle.succeeded(key);
    }

    static String normaliseRecoveryCode(String code) {
        return code.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    }

    @Override
    public TotpEnrolment enrolTotp(String userId) {
        requireTotpSupport();
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        if (confirmedFactor(user.id()).isPresent()) {
            throw PloyerException.conflict("totp", "two-factor authentication is already on; turn it off first to enrol again");
        }
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        String base32 = Totp.base32(secret);
        storage.inTransaction(tx -> {
            tx.totp().put(new TotpFactor(user.id(), cipher.encrypt(user.id(), TOTP_SECRET_FIELD, base32), clock.instant(), null, null));
            return null;
        });
        String label = java.net.URLEncoder.encode("Ployer:" + user.email(), StandardCharsets.UTF_8)
                .replace("+", "%20").replace("%40", "@").replace("%3A", ":");
        return new TotpEnrolment(base32, "otpauth://totp/" + label + "?secret=" + base32
                + "&issuer=Ployer&algorithm=SHA1&digits=6&period=30");
    }

    @Override
    public List<String> confirmTotp(String userId, String code) {
        requireTotpSupport();
        if (isBlank(code)) {
            throw PloyerException.invalid("code", "is required: the 6-digit code your authenticator shows");
        }
        TotpFactor factor = factor(userId).orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "no enrolment to confirm; start one with POST /auth/totp"));
        if (factor.confirmedAt() != null) {
            throw PloyerException.conflict("totp", "two-factor authentication is already on");
        }
        String key = "totp:" + userId;
        throwIfThrottled(key);
        long step = Totp.matchingStep(secretOf(factor), Totp.step(clock.instant().getEpochSecond()), code.strip());
        if (step < 0) {
            codeThrottle.failed(key);
            throw PloyerException.invalid("code", "is not the code your authenticator shows now (6 digits)");
        }
        codeThrottle.succeeded(key);
        List<String> codes = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[8];
            random.nextBytes(bytes);
            String plain = Totp.base32(bytes).toLowerCase(Locale.ROOT).substring(0, 12);
            codes.add(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8, 12));
        }
        forgetCached();
        storage.inTransaction(tx -> {
            tx.totp().advanceStep(userId, step);
            tx.totp().confirm(userId, clock.instant());
            tx.totp().replaceRecoveryCodes(userId, codes.stream().map(plain -> sha256(normaliseRecoveryCode(plain))).toList());
            return null;
        });
        return List.copyOf(codes);
    }

    @Override
    public void disableTotp(String userId, String code, String password) {
        requireTotpSupport();
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        TotpFactor factor = factor(userId).orElseThrow(() -> new PloyerException(StandardErrorCode.INVALID_STATE,
                "two-factor authentication is not on"));
        if (factor.confirmedAt() != null) {
            if (!isBlank(code)) {
                verifySecondFactor(factor, code, null);
            } else if (password != null && !password.isEmpty()) {
                String key = "password:" + userId;
                throwIfThrottled(key);
                if (!hasher.verify(password.length() > 256 ? "" : password, user.passwordHash())) {
                    codeThrottle.failed(key);
                    throw PloyerException.invalid("password", "is not your password");
                }
                codeThrottle.succeeded(key);
            } else {
                throw PloyerException.invalid("code", "is required (a current code of your authenticator), or send your password");
            }
        }
        forgetCached();
        storage.inTransaction(tx -> tx.totp().delete(userId));
    }

    @Override
    public TotpStatus totpStatus(String userId) {
        Optional<TotpFactor> factor = factor(userId);
        boolean enabled = factor.map(found -> found.confirmedAt() != null).orElse(false);
        return new TotpStatus(enabled, factor.isPresent() && !enabled,
                enabled ? storage.totp().unusedRecoveryCodes(userId) : 0, requireTotp);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Drops every cached credential (after anything that may revoke one). */
    private void forgetCached() {
        synchronized (recent) {
            recent.clear();
        }
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

    static void password(String password) {
        if (password == null || password.length() < 8 || password.length() > 256) {
            throw PloyerException.invalid("password", "must be 8 to 256 characters");
        }
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
