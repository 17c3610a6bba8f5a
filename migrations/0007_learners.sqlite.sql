-- Learner profiles without passwords: a display name unique whatever its case,
-- device tokens and one-time move codes, both stored only as SHA-256 digests
-- (a leaked backup or export gives no usable credential).

ALTER TABLE learners ADD COLUMN name_key TEXT;

UPDATE learners SET name_key = lower(name);

CREATE UNIQUE INDEX learners_by_name_key ON learners (name_key);

CREATE INDEX learners_by_name ON learners (name_key, id);

CREATE INDEX learners_by_created ON learners (created_at, id);

CREATE TABLE learner_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE INDEX learner_tokens_by_learner ON learner_tokens (learner_id);

CREATE TABLE learner_move_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE INDEX learner_move_codes_by_learner ON learner_move_codes (learner_id);
