package io.ployer.api.notification;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A configured destination for notifications: one notifier ({@code type}, such as {@code slack})
 * with its configuration and the events it wants. Secret configuration values (webhook URLs,
 * tokens, passwords) are never part of it: {@code secretKeys} names those that are set.
 *
 * @param id         identifier
 * @param name       display name
 * @param type       the notifier's name
 * @param projectId  the project it belongs to, or {@code null} for an instance-wide channel
 * @param events     the events it is sent
 * @param config     its non-secret configuration
 * @param secretKeys the secret configuration keys that have a value
 * @param enabled    whether it is sent anything
 * @param createdAt  when it was created
 * @param updatedAt  when it last changed
 */
public record NotificationChannel(String id, String name, String type, String projectId, Set<NotificationEvent> events,
                                  Map<String, String> config, Set<String> secretKeys, boolean enabled, Instant createdAt,
                                  Instant updatedAt) {
    public NotificationChannel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        events = Set.copyOf(events);
        config = Map.copyOf(config);
        secretKeys = Set.copyOf(secretKeys);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether this channel is sent {@code event} (a test message goes to every channel asked). */
    public boolean wants(NotificationEvent event) {
        return enabled && events.contains(event);
    }
}
