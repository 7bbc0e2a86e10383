package io.ployer.engine.account;

import io.ployer.api.account.AccountService.Principal;
import io.ployer.api.account.ApiKeyScope;
import io.ployer.api.account.Session;
import io.ployer.spi.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How {@link DefaultAccountService} resolves a bearer credential (a session token or an API key)
 * to its principal, sliding a session's expiry on use, and remembers what it resolved for a few
 * seconds so a busy client does not cost two database reads per request.
 */
final class RecentCredentials {
    /** However often a session is used, it ends this long after login. */
    static final Duration SESSION_CAP = Duration.ofDays(30);
    /** A session's use is written back (sliding its expiry) at most this often. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    static final Duration CACHE_LIFETIME = Duration.ofSeconds(5);

    private final Storage storage;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final SecondFactors secondFactors;
    private final InstanceRoles roles;
    /**
     * Recently resolved credentials. Entries live a few seconds and never past the credential's own
     * expiry, are bounded in number, and are dropped at once on logout, key revocation and password
     * reset (every change goes through the account service, which calls {@link #forget()}).
     */
    private final Map<String, CachedPrincipal> recent = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedPrincipal> eldest) {
            return size() > 10_000;
        }
    };

    private record CachedPrincipal(Principal principal, Instant validUntil) {
    }

    /** @param sessionLifetime idle lifetime of a session: each use extends it this far, up to {@link #SESSION_CAP} */
    RecentCredentials(Storage storage, Clock clock, Duration sessionLifetime, SecondFactors secondFactors, InstanceRoles roles) {
        this.roles = roles;
        this.storage = storage;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
        this.secondFactors = secondFactors;
    }

    Optional<Principal> authenticate(String bearer) {
        if (bearer == null || bearer.isBlank() || bearer.length() > 512) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = DefaultAccountService.sha256(bearer);
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

    /** What {@link #authenticate} would answer, from memory only (never reading storage); empty when not known there. */
    Optional<Principal> fromMemory(String bearer) {
        if (bearer == null || bearer.isBlank() || bearer.length() > 512) {
            return Optional.empty();
        }
        return fromMemory(DefaultAccountService.sha256(bearer), clock.instant());
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
        if (bearer.startsWith(DefaultAccountService.API_KEY_PREFIX)) {
            return storage.apiKeys().findByHash(hash)
                    .filter(key -> key.revokedAt() == null && (key.expiresAt() == null || key.expiresAt().isAfter(now)))
                    .flatMap(key -> storage.users().findById(key.userId()).map(roles::shown).map(user ->
                            new CachedPrincipal(new Principal(user, key.scopes(), true, null,
                                    secondFactors.enrolmentPending(user.id()), key.projectId()),
                                    rememberUntil(now, key.expiresAt()))));
        }
        return storage.sessions().findByTokenHash(hash)
                .filter(session -> session.revokedAt() == null && session.expiresAt().isAfter(now))
                .map(session -> slide(session, now))
                .flatMap(session -> storage.users().findById(session.userId()).map(roles::shown).map(user ->
                        new CachedPrincipal(new Principal(user, EnumSet.allOf(ApiKeyScope.class), false, session.id(),
                                secondFactors.enrolmentPending(user.id())),
                                rememberUntil(now, session.expiresAt()))));
    }

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

    /** Drops every cached credential (after anything that may revoke one). */
    void forget() {
        synchronized (recent) {
            recent.clear();
        }
    }
}
