-- The study engine: every figure is per learner, every word a learner studies has
-- an FSRS memory state, and a learner session has a queue fixed at its first card.
-- Portal-wide word counters go: a word's counts are always some learner's
-- (learner_words), kept by the review triggers below on INSERT and on DELETE.
-- FSRS floats are DOUBLE PRECISION: REAL (float4) would not give the stored card back.

-- One row per (learner, word) the learner has answered: that learner's counts and
-- the word's FSRS card (NULL card columns: answered before the scheduler existed,
-- until `python -m webapp reschedule` rebuilds them; migrate runs it).
CREATE TABLE learner_words (
    learner_id INTEGER NOT NULL REFERENCES learners (id) ON DELETE CASCADE,
    word_id INTEGER NOT NULL REFERENCES words (id) ON DELETE CASCADE,
    correct_count INTEGER NOT NULL DEFAULT 0 CHECK (correct_count >= 0),
    wrong_count INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    state SMALLINT CHECK (state IN (1, 2, 3)),
    step SMALLINT,
    stability DOUBLE PRECISION,
    difficulty DOUBLE PRECISION,
    due TIMESTAMPTZ,
    last_review TIMESTAMPTZ,
    first_review TIMESTAMPTZ,
    last_review_id INTEGER,
    PRIMARY KEY (learner_id, word_id)
);

CREATE INDEX learner_words_due ON learner_words (learner_id, due) WHERE due IS NOT NULL;
CREATE INDEX learner_words_first_review ON learner_words (learner_id, first_review)
    WHERE first_review IS NOT NULL;
CREATE INDEX learner_words_by_word ON learner_words (word_id);

INSERT INTO learner_words (learner_id, word_id, correct_count, wrong_count)
SELECT s.learner_id, r.word_id, SUM(CASE WHEN r.correct THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.correct THEN 0 ELSE 1 END)
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
DROP TRIGGER review_counters ON words_review_items;
DROP FUNCTION count_review();
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
ALTER TABLE words_review_items
    ADD COLUMN rating SMALLINT CHECK (rating BETWEEN 1 AND 4),
    ADD COLUMN client_id TEXT CHECK (length(client_id) <= 64),
    ADD COLUMN answer TEXT,
    ADD COLUMN prev_state SMALLINT,
    ADD COLUMN prev_step SMALLINT,
    ADD COLUMN prev_stability DOUBLE PRECISION,
    ADD COLUMN prev_difficulty DOUBLE PRECISION,
    ADD COLUMN prev_due TIMESTAMPTZ,
    ADD COLUMN prev_last_review TIMESTAMPTZ,
    ADD COLUMN prev_first_review TIMESTAMPTZ,
    ADD COLUMN prev_review_id INTEGER;

CREATE UNIQUE INDEX reviews_client_id ON words_review_items (study_session_id, client_id)
    WHERE client_id IS NOT NULL;
CREATE INDEX reviews_by_session_id ON words_review_items (study_session_id, id);

-- An undone answer's client_id stays spent: a late retry must not bring it back.
CREATE TABLE undone_answers (
    study_session_id INTEGER NOT NULL REFERENCES study_sessions (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    undone_at TIMESTAMPTZ NOT NULL,
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
-- Bulk loads switch both triggers off and recount (stats.pause_review_counters).
CREATE FUNCTION count_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    right_answer integer := CASE WHEN NEW.correct THEN 1 ELSE 0 END;
    owner integer;
    word_total integer;
BEGIN
    -- reviews may commit out of time order: never move last_review_at back
    UPDATE study_sessions
    SET correct_count = correct_count + right_answer,
        wrong_count = wrong_count + 1 - right_answer,
        last_review_at = GREATEST(last_review_at, NEW.created_at)
    WHERE id = NEW.study_session_id
    RETURNING learner_id INTO owner;
    INSERT INTO learner_words (learner_id, word_id, correct_count, wrong_count)
    VALUES (owner, NEW.word_id, right_answer, 1 - right_answer)
    ON CONFLICT (learner_id, word_id) DO UPDATE
    SET correct_count = learner_words.correct_count + EXCLUDED.correct_count,
        wrong_count = learner_words.wrong_count + EXCLUDED.wrong_count
    RETURNING correct_count + wrong_count INTO word_total;
    UPDATE learner_stats
    SET correct_count = correct_count + right_answer,
        wrong_count = wrong_count + 1 - right_answer,
        words_studied = words_studied + CASE WHEN word_total = 1 THEN 1 ELSE 0 END
    WHERE learner_id = owner;
    RETURN NULL;
END;
$$;

CREATE TRIGGER review_counters AFTER INSERT ON words_review_items
FOR EACH ROW EXECUTE FUNCTION count_review();

CREATE FUNCTION uncount_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    right_answer integer := CASE WHEN OLD.correct THEN 1 ELSE 0 END;
    owner integer;
    word_total integer;
BEGIN
    UPDATE study_sessions
    SET correct_count = correct_count - right_answer,
        wrong_count = wrong_count - 1 + right_answer,
        last_review_at = (SELECT MAX(created_at) FROM words_review_items
                          WHERE study_session_id = OLD.study_session_id)
    WHERE id = OLD.study_session_id
    RETURNING learner_id INTO owner;
    UPDATE learner_words
    SET correct_count = correct_count - right_answer,
        wrong_count = wrong_count - 1 + right_answer
    WHERE learner_id = owner AND word_id = OLD.word_id
    RETURNING correct_count + wrong_count INTO word_total;
    UPDATE learner_stats
    SET correct_count = correct_count - right_answer,
        wrong_count = wrong_count - 1 + right_answer,
        words_studied = words_studied - CASE WHEN word_total = 0 THEN 1 ELSE 0 END
    WHERE learner_id = owner;
    IF word_total = 0 THEN
        DELETE FROM learner_words WHERE learner_id = owner AND word_id = OLD.word_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER review_uncounters AFTER DELETE ON words_review_items
FOR EACH ROW EXECUTE FUNCTION uncount_review();

-- A deleted word takes its reviews first, so their counters move while the
-- learner's row for the word still exists (a cascade has no defined order).
CREATE FUNCTION delete_word_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM words_review_items WHERE word_id = OLD.id;
    RETURN OLD;
END;
$$;

CREATE TRIGGER word_reviews_deleted BEFORE DELETE ON words
FOR EACH ROW EXECUTE FUNCTION delete_word_reviews();
