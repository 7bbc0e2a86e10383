package io.ployer.spi.storage;

import io.ployer.api.account.Session;
import java.time.Instant;
import java.util.Optional;

/** Login sessions, stored as token hashes. */
public interface SessionStore {
    void insert(Session session);

    void update(Session session);

    Optional<Session> findByTokenHash(String tokenHash);

    /** Revokes every open session of a user at {@code at}; returns how many. */
    int revokeAll(String userId, Instant at);

    /** Deletes sessions that expired before {@code cutoff}; returns how many. */
    int deleteExpired(Instant cutoff);
}
