-- The audit log: every change, who made it, from where. Append-only: rows are never updated (a
-- trigger refuses it); the engine deletes rows only past the configured retention.
CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    actor_user_id  TEXT,
    actor          TEXT NOT NULL,
    api_key        INTEGER NOT NULL,
    client_address TEXT,
    action         TEXT NOT NULL,
    resource_type  TEXT,
    resource_id    TEXT,
    project_id     TEXT,
    status         INTEGER NOT NULL,
    change         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_project ON audit_log (project_id, seq);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
