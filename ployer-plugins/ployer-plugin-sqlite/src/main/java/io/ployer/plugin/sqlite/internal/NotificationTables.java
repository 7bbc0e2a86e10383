package io.ployer.plugin.sqlite.internal;

import static io.ployer.plugin.sqlite.internal.Database.bool;
import static io.ployer.plugin.sqlite.internal.Database.instant;

import io.ployer.api.notification.NotificationChannel;
import io.ployer.api.notification.NotificationDelivery;
import io.ployer.api.notification.NotificationEvent;
import io.ployer.spi.storage.NotificationStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Notification channels (with their configuration rows) and delivery attempts. */
final class NotificationTables implements NotificationStore {
    private static final String CHANNEL_COLUMNS = "id, name, type, project_id, events, enabled, created_at, updated_at";
    private static final String DELIVERY_COLUMNS =
            "id, notification_id, channel_id, event, subject, attempt, status, error, next_attempt_at, attempted_at";
    private final Database database;

    NotificationTables(Database database) {
        this.database = database;
    }

    @Override
    public void insertChannel(NotificationChannel channel) {
        database.transaction(db -> {
            db.update("INSERT INTO notification_channels (" + CHANNEL_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", channel.id(),
                    channel.name(), channel.type(), channel.projectId(), events(channel.events()), channel.enabled(),
                    channel.createdAt(), channel.updatedAt());
            insertConfig(db, channel);
            return null;
        });
    }

    @Override
    public void updateChannel(NotificationChannel channel) {
        database.transaction(db -> {
            db.updateExisting("notification channel", channel.id(), "UPDATE notification_channels SET name = ?, type = ?, "
                    + "project_id = ?, events = ?, enabled = ?, updated_at = ? WHERE id = ?", channel.name(), channel.type(),
                    channel.projectId(), events(channel.events()), channel.enabled(), channel.updatedAt(), channel.id());
            db.update("DELETE FROM notification_channel_config WHERE channel_id = ?", channel.id());
            insertConfig(db, channel);
            return null;
        });
    }

    private static void insertConfig(Database db, NotificationChannel channel) {
        for (Map.Entry<String, String> entry : channel.config().entrySet()) {
            db.update("INSERT INTO notification_channel_config (channel_id, key, value, secret) VALUES (?,?,?,?)",
                    channel.id(), entry.getKey(), entry.getValue(), channel.secretKeys().contains(entry.getKey()));
        }
    }

    @Override
    public Optional<NotificationChannel> findChannel(String id) {
        return channels("SELECT " + CHANNEL_COLUMNS + " FROM notification_channels WHERE id = ?",
                "SELECT channel_id, key, value, secret FROM notification_channel_config WHERE channel_id = ?", id)
                .stream().findFirst();
    }

    @Override
    public List<NotificationChannel> listChannels() {
        return channels("SELECT " + CHANNEL_COLUMNS + " FROM notification_channels ORDER BY name",
                "SELECT channel_id, key, value, secret FROM notification_channel_config");
    }

    /** Channels and their configuration rows, read one query after the other (never nested). */
    private List<NotificationChannel> channels(String channelSql, String configSql, Object... parameters) {
        List<ChannelRow> rows = database.query(channelSql, NotificationTables::mapChannel, parameters);
        if (rows.isEmpty()) {
            return List.of();
        }
        List<ConfigRow> config = database.query(configSql, row -> new ConfigRow(row.getString("channel_id"),
                row.getString("key"), row.getString("value"), bool(row, "secret")), parameters);
        return rows.stream().map(row -> {
            Map<String, String> values = new HashMap<>();
            Set<String> secretKeys = new HashSet<>();
            config.stream().filter(entry -> entry.channelId().equals(row.id())).forEach(entry -> {
                values.put(entry.key(), entry.value());
                if (entry.secret()) {
                    secretKeys.add(entry.key());
                }
            });
            return new NotificationChannel(row.id(), row.name(), row.type(), row.projectId(), row.events(), values,
                    secretKeys, row.enabled(), row.createdAt(), row.updatedAt());
        }).toList();
    }

    private record ChannelRow(String id, String name, String type, String projectId, Set<NotificationEvent> events,
                              boolean enabled, java.time.Instant createdAt, java.time.Instant updatedAt) {
    }

    private record ConfigRow(String channelId, String key, String value, boolean secret) {
    }

    @Override
    public boolean deleteChannel(String id) {
        return database.update("DELETE FROM notification_channels WHERE id = ?", id) > 0;
    }

    @Override
    public void insertDelivery(NotificationDelivery delivery) {
        database.update("INSERT INTO notification_deliveries (" + DELIVERY_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                delivery.id(), delivery.notificationId(), delivery.channelId(), delivery.event(), delivery.subject(),
                delivery.attempt(), delivery.status(), delivery.error(), delivery.nextAttemptAt(), delivery.attemptedAt());
    }

    @Override
    public List<NotificationDelivery> listDeliveries(String channelId, int limit) {
        if (channelId == null) {
            return database.query("SELECT " + DELIVERY_COLUMNS + " FROM notification_deliveries "
                    + "ORDER BY attempted_at DESC, attempt DESC LIMIT ?", NotificationTables::mapDelivery, limit);
        }
        return database.query("SELECT " + DELIVERY_COLUMNS + " FROM notification_deliveries WHERE channel_id = ? "
                + "ORDER BY attempted_at DESC, attempt DESC LIMIT ?", NotificationTables::mapDelivery, channelId, limit);
    }

    private static String events(Set<NotificationEvent> events) {
        return events.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static ChannelRow mapChannel(ResultSet row) throws SQLException {
        String events = row.getString("events");
        Set<NotificationEvent> parsed = EnumSet.noneOf(NotificationEvent.class);
        if (!events.isEmpty()) {
            Arrays.stream(events.split(",")).map(NotificationEvent::valueOf).forEach(parsed::add);
        }
        return new ChannelRow(row.getString("id"), row.getString("name"), row.getString("type"), row.getString("project_id"),
                parsed, bool(row, "enabled"), instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static NotificationDelivery mapDelivery(ResultSet row) throws SQLException {
        return new NotificationDelivery(row.getString("id"), row.getString("notification_id"), row.getString("channel_id"),
                NotificationEvent.valueOf(row.getString("event")), row.getString("subject"), row.getInt("attempt"),
                NotificationDelivery.Status.valueOf(row.getString("status")), row.getString("error"),
                instant(row, "next_attempt_at"), instant(row, "attempted_at"));
    }

    @Override
    public void putPending(io.ployer.spi.storage.PendingNotification pending) {
        io.ployer.spi.notify.Notification n = pending.notification();
        database.update("INSERT INTO notification_pending (notification_id, channel_id, next_attempt, due_at, event, title, text, "
                        + "application_name, commit_sha, duration_ms, reason, link, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (notification_id, channel_id) DO UPDATE SET next_attempt = excluded.next_attempt, due_at = excluded.due_at",
                n.id(), pending.channelId(), pending.nextAttempt(), pending.dueAt(), n.event(), n.title(), n.text(), n.applicationName(),
                n.commit(), n.duration() == null ? null : n.duration().toMillis(), n.reason(), n.link(), n.at());
    }

    @Override
    public void deletePending(String notificationId, String channelId) {
        database.update("DELETE FROM notification_pending WHERE notification_id = ? AND channel_id = ?", notificationId, channelId);
    }

    @Override
    public List<io.ployer.spi.storage.PendingNotification> listPending() {
        return database.query("SELECT * FROM notification_pending ORDER BY due_at, notification_id", row -> {
            Long duration = Database.longValue(row, "duration_ms");
            io.ployer.spi.notify.Notification notification = new io.ployer.spi.notify.Notification(row.getString("notification_id"),
                    io.ployer.api.notification.NotificationEvent.valueOf(row.getString("event")), row.getString("title"),
                    row.getString("text"), row.getString("application_name"), row.getString("commit_sha"),
                    duration == null ? null : java.time.Duration.ofMillis(duration), row.getString("reason"), row.getString("link"),
                    Database.instant(row, "at"));
            return new io.ployer.spi.storage.PendingNotification(notification, row.getString("channel_id"), row.getInt("next_attempt"),
                    Database.instant(row, "due_at"));
        });
    }

    @Override
    public int deleteDeliveriesBefore(java.time.Instant cutoff) {
        return database.update("DELETE FROM notification_deliveries WHERE attempted_at < ?", cutoff);
    }
}
