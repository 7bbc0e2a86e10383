-- Sessions remember their last use (their expiry slides on use) and the address they logged in from.
ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
CREATE INDEX sessions_user ON sessions (user_id);

-- TOTP second factors: the secret is encrypted by the engine (ENC:v1:...); last_step refuses replays.
CREATE TABLE user_totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_step    INTEGER
);

-- Recovery codes, stored as SHA-256 hashes, each usable once.
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);
