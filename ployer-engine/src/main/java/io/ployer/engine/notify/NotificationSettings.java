package io.ployer.engine.notify;

import java.time.Duration;

/**
 * How notifications are delivered.
 *
 * @param enabled        whether events are sent to channels at all (test messages always are)
 * @param maxAttempts    attempts per notification and channel, the first included
 * @param initialBackoff the wait before the second attempt; it doubles for each further one
 * @param maxBackoff     the longest wait between two attempts
 * @param dashboardUrl   the dashboard's public URL without a trailing slash, or {@code null}
 */
public record NotificationSettings(boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                   String dashboardUrl) {
    public NotificationSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based): initial × 2^(attempt-1), capped. */
    public Duration backoffAfter(int attempt) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(30, attempt - 1));
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
