package io.ployer.spi.notify;

import io.ployer.api.notification.NotificationEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a notifier sends, already written and redacted by the engine: notifiers format it for
 * their service and never see a secret of an application.
 *
 * @param id              identifier, the same for every attempt to deliver it
 * @param event           what happened
 * @param title           one line, e.g. {@code Deployment of shop succeeded}
 * @param text            the body: what, which app, which commit, how long, why (several lines)
 * @param applicationName the application's name, or {@code null}
 * @param commit          the commit, or {@code null}
 * @param duration        how long it took, or {@code null}
 * @param reason          the failure reason, or {@code null}
 * @param link            the dashboard page, or {@code null} when no public URL is configured
 * @param at              when it happened
 */
public record Notification(String id, NotificationEvent event, String title, String text, String applicationName,
                           String commit, Duration duration, String reason, String link, Instant at) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }

    /** Whether the event is bad news (a failure, an outage), for notifiers that colour messages. */
    public boolean isProblem() {
        return switch (event) {
            case DEPLOYMENT_FAILED, HEALTH_DOWN, CRASH_LOOP, BACKUP_FAILED, SERVER_UNREACHABLE, PREVIEW_FAILED,
                 CERTIFICATE_PROBLEM -> true;
            default -> false;
        };
    }
}
