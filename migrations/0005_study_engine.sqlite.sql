-- The study engine: every figure is per learner, every word a learner studies has
-- an FSRS memory state, and a learner session has a queue fixed at its first card.
-- Portal-wide word counters go: a word's counts are always some learner's
-- (learner_words), kept by the review triggers below on INSERT and on DELETE.

-- One row per (learner, word) the learner has answered: that learner's counts and
-- the word's FSRS card (NULL card columns: answered before the scheduler existed,
-- until `python -m webapp reschedule` rebuilds them; migrate runs it).
CREATE TABLE learner_words (
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    word_id INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    correct_count INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    state INTEGER CHECK (state IN (1, 2, 3)),
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due TEXT,
    last_review TEXT,
    first_review TEXT,
    last_review_id INTEGER,
    PRIMARY KEY (learner_id, word_id)
);

CREATE INDEX learner_words_due ON learner_words (learner_id, due) WHERE due IS NOT NULL;
CREATE INDEX learner_words_first_review ON learner_words (learner_id, first_review)
    WHERE first_review IS NOT NULL;
CREATE INDEX learner_words_by_word ON learner_words (word_id);

INSERT INTO learner_words (learner_id, word_id, correct_count, wrong_count)
SELECT s.learner_id, r.word_id, SUM(r.correct), SUM(1 - r.correct)
FROM words_review_items r JOIN study_sessions s ON s.id = r.study_session_id
GROUP BY s.learner_id, r.word_id;

-- Sessions per (learner, group): decides "first session on this group" (active groups).
CREATE TABLE learner_groups (
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    sessions_count INTEGER NOT NULL DEFAULT 0 CHECK (sessions_count >= 0),
    PRIMARY KEY (learner_id, group_id)
);

CREATE INDEX learner_groups_by_group ON learner_groups (group_id);

INSERT INTO learner_groups (learner_id, group_id, sessions_count)
SELECT learner_id, group_id, COUNT(*) FROM study_sessions GROUP BY learner_id, group_id;

INSERT INTO learner_stats (learner_id)
SELECT id FROM learners WHERE id NOT IN (SELECT learner_id FROM learner_stats);

UPDATE learner_stats SET
    correct_count = (SELECT COALESCE(SUM(correct_count), 0) FROM learner_words lw
                     WHERE lw.learner_id = learner_stats.learner_id),
    wrong_count = (SELECT COALESCE(SUM(wrong_count), 0) FROM learner_words lw
                   WHERE lw.learner_id = learner_stats.learner_id),
    sessions_count = (SELECT COUNT(*) FROM study_sessions s
                      WHERE s.learner_id = learner_stats.learner_id),
    words_studied = (SELECT COUNT(*) FROM learner_words lw
                     WHERE lw.learner_id = learner_stats.learner_id),
    active_groups = (SELECT COUNT(*) FROM learner_groups lg
                     WHERE lg.learner_id = learner_stats.learner_id);

-- the old trigger moves words' own counters, which go now
DROP TRIGGER review_counters;
DROP INDEX words_by_correct;
DROP INDEX words_by_wrong;
ALTER TABLE words DROP COLUMN correct_count;
ALTER TABLE words DROP COLUMN wrong_count;

-- Study settings, on the learner.
ALTER TABLE learners ADD COLUMN new_words_per_day INTEGER NOT NULL DEFAULT 10
    CHECK (new_words_per_day BETWEEN 0 AND 500);
ALTER TABLE learners ADD COLUMN session_length INTEGER NOT NULL DEFAULT 20
    CHECK (session_length BETWEEN 1 AND 500);

-- How a session picks its words: the schedule, study ahead, or the most missed.
ALTER TABLE study_sessions ADD COLUMN queue_mode TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (queue_mode IN ('scheduled', 'ahead', 'missed'));

-- A review's rating, the client's idempotency key, what was typed, and the card as
-- it was before this review (prev_state NULL: the word had no card), for undo.
ALTER TABLE words_review_items ADD COLUMN rating INTEGER CHECK (rating BETWEEN 1 AND 4);
ALTER TABLE words_review_items ADD COLUMN client_id TEXT CHECK (length(client_id) <= 64);
ALTER TABLE words_review_items ADD COLUMN answer TEXT;
ALTER TABLE words_review_items ADD COLUMN prev_state INTEGER;
ALTER TABLE words_review_items ADD COLUMN prev_step INTEGER;
ALTER TABLE words_review_items ADD COLUMN prev_stability REAL;
ALTER TABLE words_review_items ADD COLUMN prev_difficulty REAL;
ALTER TABLE words_review_items ADD COLUMN prev_due TEXT;
ALTER TABLE words_review_items ADD COLUMN prev_last_review TEXT;
ALTER TABLE words_review_items ADD COLUMN prev_first_review TEXT;
ALTER TABLE words_review_items ADD COLUMN prev_review_id INTEGER;

CREATE UNIQUE INDEX reviews_client_id ON words_review_items (study_session_id, client_id)
    WHERE client_id IS NOT NULL;
CREATE INDEX reviews_by_session_id ON words_review_items (study_session_id, id);

-- An undone answer's client_id stays spent: a late retry must not bring it back.
CREATE TABLE undone_answers (
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    undone_at TEXT NOT NULL,
    PRIMARY KEY (study_session_id, client_id)
);

-- A session's queue, fixed at its first card.  review_id: the answer that served the
-- entry (NULL: still to show); added_by: the Again answer that appended this entry.
CREATE TABLE session_queue (
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    word_id INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (reason IN ('due', 'new', 'again', 'ahead', 'missed')),
    review_id INTEGER,
    added_by INTEGER,
    PRIMARY KEY (study_session_id, position)
);

CREATE INDEX session_queue_by_word ON session_queue (word_id);

-- The counters of a review (its session's, and its learner's for the word and
-- overall) move inside the INSERT and the DELETE: recording, undoing and deleting
-- all keep them equal to a recount (webapp/queries/stats.py, recount_all).
CREATE TRIGGER review_counters AFTER INSERT ON words_review_items
BEGIN
    -- reviews may commit out of time order: never move last_review_at back
    UPDATE study_sessions
    SET correct_count = correct_count + NEW.correct,
        wrong_count = wrong_count + 1 - NEW.correct,
        last_review_at = MAX(COALESCE(last_review_at, NEW.created_at), NEW.created_at)
    WHERE id = NEW.study_session_id;
    INSERT INTO learner_words (learner_id, word_id, correct_count, wrong_count)
    SELECT learner_id, NEW.word_id, NEW.correct, 1 - NEW.correct
    FROM study_sessions WHERE id = NEW.study_session_id
    ON CONFLICT (learner_id, word_id) DO UPDATE
    SET correct_count = correct_count + excluded.correct_count,
        wrong_count = wrong_count + excluded.wrong_count;
    UPDATE learner_stats
    SET correct_count = correct_count + NEW.correct,
        wrong_count = wrong_count + 1 - NEW.correct,
        words_studied = words_studied
            + (SELECT correct_count + wrong_count = 1 FROM learner_words lw
               WHERE lw.learner_id = learner_stats.learner_id AND lw.word_id = NEW.word_id)
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = NEW.study_session_id);
END;

CREATE TRIGGER review_uncounters AFTER DELETE ON words_review_items
BEGIN
    UPDATE study_sessions
    SET correct_count = correct_count - OLD.correct,
        wrong_count = wrong_count - 1 + OLD.correct,
        last_review_at = (SELECT MAX(created_at) FROM words_review_items
                          WHERE study_session_id = OLD.study_session_id)
    WHERE id = OLD.study_session_id;
    UPDATE learner_words
    SET correct_count = correct_count - OLD.correct,
        wrong_count = wrong_count - 1 + OLD.correct
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = OLD.study_session_id)
      AND word_id = OLD.word_id;
    UPDATE learner_stats
    SET correct_count = correct_count - OLD.correct,
        wrong_count = wrong_count - 1 + OLD.correct,
        words_studied = words_studied
            - (SELECT COUNT(*) FROM learner_words lw
               WHERE lw.learner_id = learner_stats.learner_id AND lw.word_id = OLD.word_id
                 AND lw.correct_count + lw.wrong_count = 0)
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = OLD.study_session_id);
    DELETE FROM learner_words
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = OLD.study_session_id)
      AND word_id = OLD.word_id AND correct_count + wrong_count = 0;
END;

-- A deleted word takes its reviews first, so their counters move while the
-- learner's row for the word still exists (a cascade has no defined order).
CREATE TRIGGER word_reviews_deleted BEFORE DELETE ON words
BEGIN
    DELETE FROM words_review_items WHERE word_id = OLD.id;
END;
