-- Databases belong to a project like applications (issue 16); older ones to 'default'.
ALTER TABLE databases ADD COLUMN project_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX databases_project ON databases (project_id);
-- The host address an instance admin chose to publish the database on (NULL: the runtime's publish host).
ALTER TABLE databases ADD COLUMN public_host TEXT;

-- Ployer's own archives (database + key + manifest) taken to backup destinations, whatever their outcome.
CREATE TABLE platform_backups (
    id             TEXT PRIMARY KEY,
    destination_id TEXT NOT NULL,
    status         TEXT NOT NULL,
    location       TEXT,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT,
    reason         TEXT,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER
);
CREATE INDEX platform_backups_started ON platform_backups (started_at);
