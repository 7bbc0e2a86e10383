package io.ployer.api.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to deliver a notification to a channel. Attempts of the same notification share a
 * {@code notificationId}; a failed attempt that will be retried says when.
 *
 * @param id             identifier of the attempt
 * @param notificationId the notification it delivers
 * @param channelId      the channel
 * @param event          what the notification is about
 * @param subject        the notification's title
 * @param attempt        1 for the first attempt
 * @param status         the outcome
 * @param error          why it failed (redacted), or {@code null}
 * @param nextAttemptAt  when the next attempt runs, or {@code null} when there is none
 * @param attemptedAt    when the attempt ran
 */
public record NotificationDelivery(String id, String notificationId, String channelId, NotificationEvent event,
                                   String subject, int attempt, Status status, String error, Instant nextAttemptAt,
                                   Instant attemptedAt) {
    public NotificationDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
    }

    /** The outcome of an attempt. */
    public enum Status {
        DELIVERED,
        /** Failed; another attempt follows at {@code nextAttemptAt}. */
        RETRYING,
        /** Failed, and no attempt follows. */
        FAILED
    }
}
