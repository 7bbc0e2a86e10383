-- Ployer schema, SQLite dialect. Instants are epoch milliseconds (INTEGER); API key scopes are a
-- comma-separated list of enum names; an application's build config is a table of its own.
-- Secret columns hold what the engine hands over: ENC:v1:<key-id>:<base64> values (or legacy plain text).

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('ADMIN', 'USER')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at   INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE servers (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    host            TEXT NOT NULL,
    port            INTEGER NOT NULL,
    username        TEXT,
    ssh_private_key TEXT,
    is_local        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    last_checked_at INTEGER,
    created_at      INTEGER NOT NULL
);

CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    server_id      TEXT REFERENCES servers (id) ON DELETE SET NULL,
    git_url        TEXT,
    branch         TEXT NOT NULL,
    build_strategy TEXT NOT NULL,
    port           INTEGER NOT NULL,
    auto_deploy    INTEGER NOT NULL,
    memory_bytes   INTEGER,
    cpus           REAL,
    restart_policy TEXT NOT NULL,
    status         TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE application_build_config (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    PRIMARY KEY (application_id, key)
);

CREATE TABLE environment_variables (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    build_time     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (application_id, key)
);

CREATE TABLE domains (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    hostname       TEXT NOT NULL UNIQUE,
    is_primary     INTEGER NOT NULL,
    is_auto        INTEGER NOT NULL,
    verified       INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX domains_application ON domains (application_id);

CREATE TABLE deploy_keys (
    application_id TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    algorithm      TEXT NOT NULL,
    public_key     TEXT NOT NULL,
    private_key    TEXT,
    fingerprint    TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE deployments (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    trigger_kind   TEXT NOT NULL,
    branch         TEXT,
    commit_sha     TEXT,
    commit_message TEXT,
    image_ref      TEXT,
    container_id   TEXT,
    endpoint       TEXT,
    rollback_of    TEXT,
    failure_reason TEXT,
    created_at     INTEGER NOT NULL,
    started_at     INTEGER,
    finished_at    INTEGER,
    updated_at     INTEGER NOT NULL,
    -- creation order, for a stable newest-first listing when two deployments share a millisecond
    seq            INTEGER NOT NULL
);
CREATE INDEX deployments_application_status ON deployments (application_id, status);
CREATE INDEX deployments_status ON deployments (status);
CREATE INDEX deployments_created ON deployments (created_at, seq);

CREATE TABLE deployment_logs (
    deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    sequence      INTEGER NOT NULL,
    stream        TEXT NOT NULL,
    line          TEXT NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (deployment_id, sequence)
);

CREATE TABLE health_checks (
    application_id       TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    path                 TEXT NOT NULL,
    expected_status_min  INTEGER NOT NULL,
    expected_status_max  INTEGER NOT NULL,
    interval_ms          INTEGER NOT NULL,
    timeout_ms           INTEGER NOT NULL,
    healthy_threshold    INTEGER NOT NULL,
    unhealthy_threshold  INTEGER NOT NULL,
    retries              INTEGER NOT NULL,
    start_period_ms      INTEGER NOT NULL,
    enabled              INTEGER NOT NULL
);

CREATE TABLE health_check_results (
    id               TEXT PRIMARY KEY,
    application_id   TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status           TEXT NOT NULL,
    response_time_ms INTEGER NOT NULL,
    status_code      INTEGER,
    error            TEXT,
    checked_at       INTEGER NOT NULL
);
CREATE INDEX health_check_results_application ON health_check_results (application_id, checked_at);
CREATE INDEX health_check_results_checked ON health_check_results (checked_at);

CREATE TABLE container_stats (
    id                 TEXT PRIMARY KEY,
    application_id     TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    container_id       TEXT NOT NULL,
    cpu_percent        REAL NOT NULL,
    memory_used_bytes  INTEGER NOT NULL,
    memory_limit_bytes INTEGER NOT NULL,
    network_rx_bytes   INTEGER NOT NULL,
    network_tx_bytes   INTEGER NOT NULL,
    sampled_at         INTEGER NOT NULL
);
CREATE INDEX container_stats_application ON container_stats (application_id, sampled_at);
CREATE INDEX container_stats_sampled ON container_stats (sampled_at);

CREATE TABLE webhooks (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id) ON DELETE CASCADE,
    provider       TEXT NOT NULL,
    secret         TEXT,
    enabled        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id             TEXT PRIMARY KEY,
    webhook_id     TEXT,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    delivery_id    TEXT,
    event          TEXT,
    status         TEXT NOT NULL,
    reason         TEXT,
    branch         TEXT,
    commit_sha     TEXT,
    author         TEXT,
    message        TEXT,
    deployment_id  TEXT,
    received_at    INTEGER NOT NULL,
    seq            INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_application ON webhook_deliveries (application_id, received_at);
CREATE INDEX webhook_deliveries_delivery ON webhook_deliveries (application_id, delivery_id);
