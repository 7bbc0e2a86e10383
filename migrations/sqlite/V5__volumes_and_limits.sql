-- Memory reservation and process limit of an application's containers (NULL: none).
ALTER TABLE applications ADD COLUMN memory_reservation_bytes INTEGER;
ALTER TABLE applications ADD COLUMN pids_limit INTEGER;

-- Persistent volumes of applications. Deleting an application deletes these rows; the runtime's
-- named volumes (the data) stay until removed explicitly (they are then listed as orphaned).
CREATE TABLE application_volumes (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    source         TEXT NOT NULL,
    container_path TEXT NOT NULL,
    read_only      INTEGER NOT NULL,
    exclusive      INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    UNIQUE (application_id, name),
    UNIQUE (application_id, container_path)
);
CREATE INDEX application_volumes_application ON application_volumes (application_id);
