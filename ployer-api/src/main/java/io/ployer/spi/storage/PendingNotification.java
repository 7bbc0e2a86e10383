package io.ployer.spi.storage;

import io.ployer.spi.notify.Notification;
import java.time.Instant;
import java.util.Objects;

/**
 * A notification whose delivery to a channel failed and waits for its next attempt: kept in storage
 * so that the retry survives a restart.
 *
 * @param notification what to send (already written and redacted)
 * @param channelId    the channel
 * @param nextAttempt  the number of the next attempt (2 or more)
 * @param dueAt        when it is due
 */
public record PendingNotification(Notification notification, String channelId, int nextAttempt, Instant dueAt) {
    public PendingNotification {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(dueAt, "dueAt");
    }
}
