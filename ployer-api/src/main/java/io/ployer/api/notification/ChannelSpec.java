package io.ployer.api.notification;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a client asks for when it creates or changes a channel. On a change, a secret key left
 * out keeps its stored value, so a client never needs to know (or resend) a secret to rename a channel.
 *
 * @param name      display name
 * @param type      the notifier's name ({@code webhook}, {@code slack}, {@code discord}, {@code telegram},
 *                  {@code teams}, {@code email} when the bundled notifiers are present)
 * @param projectId the project it belongs to, or {@code null} for an instance-wide channel
 * @param events    the events it is sent
 * @param config    the notifier's configuration, secret values included
 * @param enabled   whether it is sent anything ({@code null}: true)
 */
public record ChannelSpec(String name, String type, String projectId, Set<NotificationEvent> events,
                          Map<String, String> config, Boolean enabled) {
    public ChannelSpec {
        events = events == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(events));
        config = config == null ? Map.of() : Map.copyOf(new HashMap<>(config));
    }

    @Override
    public String toString() {
        // The config holds secrets: never printed.
        return "ChannelSpec[name=" + name + ", type=" + type + ", events=" + events + "]";
    }
}
