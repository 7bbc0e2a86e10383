-- Projects group applications; every application belongs to exactly one. What existed before
-- projects moves into the 'default' project.
CREATE TABLE projects (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO projects (id, name, created_at) VALUES ('default', 'Default', CAST(strftime('%s', 'now') AS INTEGER) * 1000);

-- SQLite cannot add a column with both a REFERENCES clause and a non-null default; the engine
-- checks the project exists before it writes an application.
ALTER TABLE applications ADD COLUMN project_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX applications_project ON applications (project_id);

CREATE TABLE project_members (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('ADMIN', 'DEVELOPER', 'VIEWER')),
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id);

-- Invitations: only the SHA-256 of the single-use token is kept.
CREATE TABLE project_invitations (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('ADMIN', 'DEVELOPER', 'VIEWER')),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  TEXT,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_by TEXT,
    accepted_at INTEGER
);

-- An API key may be narrowed to one project (null: every project its user may reach).
ALTER TABLE api_keys ADD COLUMN project_id TEXT;
