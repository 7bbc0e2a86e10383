-- Databases Ployer runs (issue 16). The generated password is the engine's ciphertext.
CREATE TABLE databases (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    engine              TEXT NOT NULL,
    version             TEXT NOT NULL,
    image               TEXT NOT NULL,
    username            TEXT,
    database_name       TEXT,
    port                INTEGER NOT NULL,
    public_port         INTEGER NOT NULL,
    memory_bytes        INTEGER,
    cpus                REAL,
    status              TEXT NOT NULL,
    password_ciphertext TEXT NOT NULL,
    container_id        TEXT,
    backup_schedule     TEXT,
    backup_keep         INTEGER,
    backup_destination  TEXT,
    created_at          INTEGER NOT NULL
);

-- Where backups go; the S3 secret key is the engine's ciphertext.
CREATE TABLE backup_destinations (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL,
    path                  TEXT NOT NULL,
    endpoint              TEXT,
    bucket                TEXT,
    region                TEXT,
    path_style            INTEGER NOT NULL,
    access_key            TEXT,
    secret_key_ciphertext TEXT,
    created_at            INTEGER NOT NULL
);

-- Every backup, whatever its outcome.
CREATE TABLE database_backups (
    id             TEXT PRIMARY KEY,
    database_id    TEXT NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
    destination_id TEXT NOT NULL,
    status         TEXT NOT NULL,
    location       TEXT,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT,
    reason         TEXT,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER
);
CREATE INDEX database_backups_database ON database_backups (database_id, started_at);

-- Applications linked to databases: variables and network at the application's next deploy.
CREATE TABLE database_links (
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    database_id    TEXT NOT NULL REFERENCES databases (id) ON DELETE CASCADE,
    env_prefix     TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (application_id, database_id)
);
CREATE INDEX database_links_database ON database_links (database_id);
