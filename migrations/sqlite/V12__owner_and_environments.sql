-- The instance owner: the first admin to have registered (users keep ADMIN in their role column;
-- the engine shows the user this setting names as OWNER).
INSERT OR IGNORE INTO settings (key, value)
SELECT 'instance.owner', id FROM users WHERE role = 'ADMIN' ORDER BY created_at, id LIMIT 1;

-- Environments inside a project (production, staging …). Every project has 'production'.
CREATE TABLE environments (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, name)
);
INSERT INTO environments (project_id, name, created_at)
SELECT id, 'production', created_at FROM projects;

-- Which environment an application is in, and the application whose git settings it shares
-- (repository, build strategy and settings, credentials); its branch, env values and domains
-- stay its own. An application with no row here is in 'production' of its project.
CREATE TABLE application_environments (
    application_id        TEXT PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    environment           TEXT NOT NULL,
    source_application_id TEXT REFERENCES applications (id) ON DELETE SET NULL
);
CREATE INDEX application_environments_source ON application_environments (source_application_id);
INSERT INTO application_environments (application_id, environment, source_application_id)
SELECT id, 'production', NULL FROM applications;
