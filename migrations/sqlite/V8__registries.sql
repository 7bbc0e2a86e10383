-- Image registries with credentials; the password is encrypted by the engine (ENC:v1:...).
CREATE TABLE registries (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL UNIQUE,
    username   TEXT,
    password   TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
