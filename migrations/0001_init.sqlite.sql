-- Lang Portal schema, SQLite dialect.  Keeps the prototype's six tables and
-- column names; adds timestamps in one fixed-width UTC text format
-- (2026-11-25T09:14:03.123456Z, so text order is time order), seed keys,
-- the default learner, ON DELETE rules, and counters maintained in the same
-- transaction as every review (see webapp/services/reviews.py).

CREATE TABLE learners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    timezone TEXT,
    created_at TEXT NOT NULL
);

INSERT INTO learners (id, name, timezone, created_at)
VALUES (1, 'Learner', NULL, strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z');

CREATE TABLE learner_stats (
    learner_id INTEGER PRIMARY KEY REFERENCES learners (id) ON DELETE CASCADE,
    correct_count INTEGER NOT NULL DEFAULT 0,
    wrong_count INTEGER NOT NULL DEFAULT 0,
    sessions_count INTEGER NOT NULL DEFAULT 0,
    words_studied INTEGER NOT NULL DEFAULT 0,
    active_groups INTEGER NOT NULL DEFAULT 0
);

INSERT INTO learner_stats (learner_id) VALUES (1);

CREATE TABLE words (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    japanese TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    romaji TEXT NOT NULL,
    english TEXT NOT NULL,
    parts TEXT NOT NULL DEFAULT '[]',
    seed_key TEXT UNIQUE,
    correct_count INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    created_at TEXT NOT NULL
);

CREATE INDEX words_by_japanese ON words (japanese, id);
CREATE INDEX words_by_romaji ON words (romaji, id);
CREATE INDEX words_by_english ON words (english, id);
CREATE INDEX words_by_correct ON words (correct_count, id);
CREATE INDEX words_by_wrong ON words (wrong_count, id);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    seed_key TEXT UNIQUE,
    word_count INTEGER NOT NULL DEFAULT 0 CHECK (word_count >= 0),
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0),
    created_at TEXT NOT NULL
);

CREATE INDEX groups_by_name ON groups (name, id);
CREATE INDEX groups_by_word_count ON groups (word_count, id);

CREATE TABLE words_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    UNIQUE (word_id, group_id)
);

CREATE INDEX words_groups_by_group ON words_groups (group_id, word_id);

CREATE TABLE study_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    thumbnail_url TEXT,
    activity_type TEXT NOT NULL,
    launch_url TEXT,
    seed_key TEXT UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE study_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    study_activity_id INTEGER NOT NULL REFERENCES study_activities (id) ON DELETE CASCADE,
    learner_id INTEGER NOT NULL DEFAULT 1 REFERENCES learners (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    correct_count INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    last_review_at TEXT
);

CREATE INDEX study_sessions_by_time ON study_sessions (created_at, id);
CREATE INDEX study_sessions_by_group ON study_sessions (group_id, created_at, id);
CREATE INDEX study_sessions_by_activity ON study_sessions (study_activity_id, created_at, id);
CREATE INDEX study_sessions_by_learner ON study_sessions (learner_id, created_at, id);

CREATE TABLE words_review_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    word_id INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE INDEX reviews_by_session ON words_review_items (study_session_id, word_id, correct);
CREATE INDEX reviews_by_word ON words_review_items (word_id);
