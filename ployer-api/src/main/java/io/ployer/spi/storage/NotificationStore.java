package io.ployer.spi.storage;

import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationDelivery;
import java.util.List;
import java.util.Optional;

/**
 * Notification channels and their delivery attempts. A channel's {@code config} holds every value,
 * the secret ones already encrypted by the engine ({@code ENC:…}); deleting a channel deletes its
 * attempts.
 */
public interface NotificationStore {
    void insertChannel(NotificationChannel channel);

    /** Replaces the channel with the same id. */
    void updateChannel(NotificationChannel channel);

    Optional<NotificationChannel> findChannel(String id);

    /** Every channel, by name. */
    List<NotificationChannel> listChannels();

    boolean deleteChannel(String id);

    void insertDelivery(NotificationDelivery delivery);

    /** Attempts newest first, at most {@code limit}; only {@code channelId}'s unless it is null. */
    List<NotificationDelivery> listDeliveries(String channelId, int limit);

    /**
     * Keeps (or replaces) the retry of a notification to a channel. A default that keeps nothing, so
     * storages written before it still load; their retries do not survive a restart.
     */
    default void putPending(PendingNotification pending) {
    }

    /** Forgets the retry of a notification to a channel (delivered, given up, or its channel gone). */
    default void deletePending(String notificationId, String channelId) {
    }

    /** Every retry waiting, soonest first. */
    default List<PendingNotification> listPending() {
        return List.of();
    }

    /** Deletes delivery attempts recorded before {@code cutoff}; returns how many. */
    default int deleteDeliveriesBefore(java.time.Instant cutoff) {
        return 0;
    }
}
