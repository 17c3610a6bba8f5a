-- The review write path in one INSERT: the review row carries the card it produced
-- (card_*: the FSRS card after this answer, as recorded; NULL for reviews loaded by
-- imports or recorded before this migration), and the review trigger writes that
-- card into learner_words and advances the session queue, in the same statement
-- that moves the counters.  Recording an answer is then BEGIN, the learner's
-- advisory lock, one SELECT (which also takes the review id: nextval of the id
-- sequence), one INSERT, COMMIT.  Undo is unchanged: it restores the prev_* snapshot.
-- FSRS floats are DOUBLE PRECISION, as in learner_words.
ALTER TABLE words_review_items
    ADD COLUMN card_state SMALLINT,
    ADD COLUMN card_step SMALLINT,
    ADD COLUMN card_stability DOUBLE PRECISION,
    ADD COLUMN card_difficulty DOUBLE PRECISION,
    ADD COLUMN card_due TIMESTAMPTZ;

-- As in 0005 (counters), then, for an answer that carries its card (card_state set):
-- the card columns (last_review is the answer's time; first_review the first
-- answer's since the word has had a card), the queue entry it serves (the word's
-- first open one) and, for an Again that served a planned entry, the word once more
-- at the end of the queue (added_by: this answer, so undo removes it).
CREATE OR REPLACE FUNCTION count_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    right_answer integer := CASE WHEN NEW.correct THEN 1 ELSE 0 END;
    owner integer;
    word_total integer;
    served text;
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
    IF NEW.card_state IS NOT NULL THEN
        UPDATE learner_words
        SET state = NEW.card_state,
            step = NEW.card_step,
            stability = NEW.card_stability,
            difficulty = NEW.card_difficulty,
            due = NEW.card_due,
            last_review = NEW.created_at,
            first_review = CASE WHEN state IS NULL THEN NEW.created_at
                                ELSE COALESCE(first_review, NEW.created_at) END,
            last_review_id = NEW.id
        WHERE learner_id = owner AND word_id = NEW.word_id;
        UPDATE session_queue SET review_id = NEW.id
        WHERE study_session_id = NEW.study_session_id
          AND position = (SELECT MIN(position) FROM session_queue
                          WHERE study_session_id = NEW.study_session_id
                            AND word_id = NEW.word_id AND review_id IS NULL)
        RETURNING reason INTO served;
        IF NEW.rating = 1 AND served IS NOT NULL AND served <> 'again' THEN
            INSERT INTO session_queue (study_session_id, position, word_id, reason, added_by)
            SELECT NEW.study_session_id, MAX(position) + 1, NEW.word_id, 'again', NEW.id
            FROM session_queue WHERE study_session_id = NEW.study_session_id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
