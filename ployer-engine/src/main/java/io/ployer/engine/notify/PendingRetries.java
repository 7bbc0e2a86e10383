package io.ployer.engine.notify;

import io.ployer.spi.storage.PendingNotification;
import io.ployer.spi.storage.Storage;
import java.time.Instant;

/**
 * The retries kept in storage, so that a restart before a retry's time schedules it again, and the
 * pruning of old delivery records.
 */
final class PendingRetries {
    private final Storage storage;

    PendingRetries(Storage storage) {
        this.storage = storage;
    }

    void keep(PendingNotification retry) {
        storage.inTransaction(tx -> {
            tx.notifications().putPending(retry);
            return null;
        });
    }

    void forget(String notificationId, String channelId) {
        storage.inTransaction(tx -> {
            tx.notifications().deletePending(notificationId, channelId);
            return null;
        });
    }

    int pruneDeliveriesBefore(Instant cutoff) {
        return storage.inTransaction(tx -> tx.notifications().deleteDeliveriesBefore(cutoff));
    }
}
