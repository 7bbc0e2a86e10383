-- Notification channels: a notifier (type) with its configuration and the events it is sent.
-- project_id is reserved for channels of one project (NULL: instance-wide).
CREATE TABLE notification_channels (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    project_id TEXT,
    events     TEXT NOT NULL,
    enabled    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A channel's configuration; secret values are stored encrypted (ENC:v1:…) by the engine.
CREATE TABLE notification_channel_config (
    channel_id TEXT NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    secret     INTEGER NOT NULL,
    PRIMARY KEY (channel_id, key)
);

-- Every attempt to deliver a notification to a channel.
CREATE TABLE notification_deliveries (
    id              TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL,
    channel_id      TEXT NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    subject         TEXT,
    attempt         INTEGER NOT NULL,
    status          TEXT NOT NULL,
    error           TEXT,
    next_attempt_at INTEGER,
    attempted_at    INTEGER NOT NULL
);
CREATE INDEX notification_deliveries_channel ON notification_deliveries (channel_id, attempted_at);
CREATE INDEX notification_deliveries_attempted ON notification_deliveries (attempted_at);
