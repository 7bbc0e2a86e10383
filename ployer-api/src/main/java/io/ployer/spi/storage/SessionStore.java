package io.ployer.spi.storage;

import io.ployer.api.account.Session;
import java.time.Instant;
import java.util.List;
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

    /** A session by id. A default so storages written before it still load. */
    default Optional<Session> findById(String id) {
        throw new UnsupportedOperationException("this storage plugin does not list sessions");
    }

    /** A user's sessions, newest first. A default so storages written before it still load. */
    default List<Session> listByUser(String userId) {
        throw new UnsupportedOperationException("this storage plugin does not list sessions");
    }

    /**
     * Revokes every open session of a user but {@code keepSessionId} (which may be {@code null}) at
     * {@code at}; returns how many.
     */
    default int revokeAllExcept(String userId, String keepSessionId, Instant at) {
        throw new UnsupportedOperationException("this storage plugin does not revoke sessions selectively");
    }
}
