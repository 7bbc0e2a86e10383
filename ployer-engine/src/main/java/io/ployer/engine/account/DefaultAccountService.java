package io.ployer.engine.account;

import io.ployer.api.PloyerException;
import io.ployer.api.StandardErrorCode;
import io.ployer.api.account.AccountService;
import io.ployer.api.account.ApiKey;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Role;
import io.ployer.api.account.Session;
import io.ployer.api.account.User;
import io.ployer.spi.storage.Storage;
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
    static final String REGISTRATION_SETTING = "accounts.registration_open";
    private static final Pattern EMAIL = Pattern.compile("[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final Storage storage;
    private final Clock clock;
    private final PasswordHasher hasher;
    private final Duration sessionLifetime;
    private final LoginThrottle throttle;
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
        this.storage = storage;
        this.clock = clock;
        this.hasher = hasher;
        this.sessionLifetime = sessionLifetime;
        this.throttle = new LoginThrottle(clock, 5, Duration.ofSeconds(1), Duration.ofMinutes(15), 10_000);
    }

    @Override
    public User register(String email, String password) {
        String normalised = email(email);
        password(password);
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
        String token = newSecret(32);
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID().toString(), user.get().id(), sha256(token), now,
                now.plus(sessionLifetime), null);
        storage.inTransaction(tx -> {
            tx.sessions().insert(session);
            tx.sessions().deleteExpired(now);
            return null;
        });
        return new IssuedToken(token, session, user.get());
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
                    .flatMap(key -> storage.users().findById(key.userId()).map(user ->
                            new CachedPrincipal(new Principal(user, key.scopes(), true), rememberUntil(now, key.expiresAt()))));
        }
        return storage.sessions().findByTokenHash(hash)
                .filter(session -> session.revokedAt() == null && session.expiresAt().isAfter(now))
                .flatMap(session -> storage.users().findById(session.userId()).map(user ->
                        new CachedPrincipal(new Principal(user, EnumSet.allOf(ApiKeyScope.class), false),
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
                    tx.sessions().update(new Session(session.id(), session.userId(), session.tokenHash(),
                            session.createdAt(), session.expiresAt(), clock.instant())));
            return null;
        });
    }

    @Override
    public IssuedApiKey createApiKey(String userId, String name, Set<ApiKeyScope> scopes) {
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw PloyerException.invalid("name", "is required, at most 100 characters without control characters");
        }
        if (scopes == null || scopes.isEmpty()) {
            throw PloyerException.invalid("scopes", "must name at least one of read, write, deploy");
        }
        User user = findUser(userId).orElseThrow(() -> PloyerException.notFound("user", userId));
        String key = API_KEY_PREFIX + newSecret(32);
        ApiKey apiKey = new ApiKey(UUID.randomUUID().toString(), user.id(), name.strip(), key.substring(0, API_KEY_PREFIX.length() + 6),
                sha256(key), scopes, clock.instant(), null, null, null);
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
                        key.createdAt(), key.lastUsedAt(), key.expiresAt(), clock.instant()));
            }
            return null;
        });
    }

    @Override
    public void resetPassword(String email, String newPassword) {
        String normalised = email(email);
        password(newPassword);
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
        return storage.users().findById(userId);
    }

    @Override
    public List<User> users() {
        return storage.users().list();
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
