-- Authoring: groups are deleted softly (their sessions stay in every learner's
-- history and keep showing the group's name), and imports are parsed once into
-- a stored preview, so "Import" works on any worker and after a deploy.
--
-- A deleted group's name column gets a tombstone (the UNIQUE on name cannot be
-- dropped on SQLite without rebuilding the table, which would cascade into the
-- sessions), so the name is free again; deleted_name keeps what it was called.

ALTER TABLE groups ADD COLUMN deleted_at TEXT;
ALTER TABLE groups ADD COLUMN deleted_name TEXT;

CREATE TABLE import_previews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL DEFAULT 'preview' CHECK (status IN ('preview', 'committed')),
    filename TEXT NOT NULL DEFAULT '',
    source BLOB NOT NULL,
    options TEXT NOT NULL,
    plan TEXT NOT NULL,
    result TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX import_previews_by_expiry ON import_previews (expires_at);
