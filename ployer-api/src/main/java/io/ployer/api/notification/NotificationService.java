package io.ployer.api.notification;

import java.util.List;
import java.util.Optional;

/**
 * Notification channels and the record of deliveries. Deliveries run in the background, retried
 * with exponential backoff; they never hold up a deployment.
 */
public interface NotificationService {

    /** Every channel, by name. */
    List<NotificationChannel> listChannels();

    Optional<NotificationChannel> findChannel(String id);

    /** Creates a channel; the notifier validates its configuration (every problem at once). */
    NotificationChannel createChannel(ChannelSpec spec);

    /** Changes a channel; secret keys left out of the spec keep their values. */
    NotificationChannel updateChannel(String id, ChannelSpec spec);

    void deleteChannel(String id);

    /** Sends a test message to the channel now (one attempt, recorded) and returns the attempt. */
    NotificationDelivery test(String id);

    /**
     * Recorded attempts, newest first.
     *
     * @param channelId only this channel's, or {@code null} for all
     * @param limit     at most this many (1..500)
     */
    List<NotificationDelivery> deliveries(String channelId, int limit);

    /** The names of the notifiers that channels may use. */
    List<String> types();
}
