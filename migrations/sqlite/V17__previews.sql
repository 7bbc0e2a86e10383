-- Issue 20: preview deployments of pull requests, and notification retries that survive a restart.
-- A preview runs as a child application of its own;
-- it goes with its parent or with its child.
CREATE TABLE preview_settings (
    application_id TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    enabled        INTEGER NOT NULL,
    domain_pattern TEXT NOT NULL,
    max_previews   INTEGER NOT NULL,
    expire_days    INTEGER NOT NULL,
    allow_forks    INTEGER NOT NULL,
    status_api_url TEXT
);

-- Env values handed to previews instead of the application's own; values encrypted by the engine (ENC:v1:...).
CREATE TABLE preview_env_vars (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    build_time     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (application_id, key)
);

CREATE TABLE previews (
    id                     TEXT PRIMARY KEY,
    application_id         TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    preview_application_id TEXT NOT NULL UNIQUE REFERENCES applications (id) ON DELETE CASCADE,
    provider               TEXT NOT NULL,
    number                 INTEGER NOT NULL,
    title                  TEXT,
    head_branch            TEXT,
    head_sha               TEXT NOT NULL,
    fork                   INTEGER NOT NULL,
    forge_repository       TEXT,
    forge_api_url          TEXT,
    url                    TEXT,
    status                 TEXT NOT NULL,
    deployment_id          TEXT,
    status_report          TEXT,
    created_at             INTEGER NOT NULL,
    last_activity_at       INTEGER NOT NULL,
    UNIQUE (application_id, number)
);
CREATE INDEX previews_deployment ON previews (deployment_id);

-- A notification waiting for its next attempt at a channel (the attempts themselves are in notification_deliveries).
CREATE TABLE notification_pending (
    notification_id  TEXT NOT NULL,
    channel_id       TEXT NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    next_attempt     INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    event            TEXT NOT NULL,
    title            TEXT NOT NULL,
    text             TEXT NOT NULL,
    application_name TEXT,
    commit_sha       TEXT,
    duration_ms      INTEGER,
    reason           TEXT,
    link             TEXT,
    at               INTEGER NOT NULL,
    PRIMARY KEY (notification_id, channel_id)
);
