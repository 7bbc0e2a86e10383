-- Https tokens applications clone with; the value is encrypted by the engine (ENC:v1:...).
CREATE TABLE git_credentials (
    application_id TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    token          TEXT NOT NULL
);
