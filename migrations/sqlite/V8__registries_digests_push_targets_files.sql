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

-- Where an application's built images are pushed after a successful build (a registry in use
-- cannot be deleted).
CREATE TABLE application_push_targets (
    application_id TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    registry_id    TEXT NOT NULL REFERENCES registries (id),
    repository     TEXT NOT NULL
);

-- Configuration files of applications, mounted read-only; the content is encrypted by the engine.
CREATE TABLE application_files (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    content        TEXT NOT NULL,
    size           INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (application_id, path)
);
