-- Image registries with credentials; the password is encrypted by the engine (ENC:v1:...).
CREATE TABLE registries (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL UNIQUE,
    username   TEXT,
    password   TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The registry digest a prebuilt image's reference resolved to when it was deployed (NULL: built here).
ALTER TABLE deployments ADD COLUMN image_digest TEXT;
