-- Issue 15: a domain of a Compose application routes to one of its services and a port of it.
ALTER TABLE domains ADD COLUMN service TEXT;
ALTER TABLE domains ADD COLUMN port INTEGER CHECK (port IS NULL OR (port BETWEEN 1 AND 65535));
