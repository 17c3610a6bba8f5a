-- The review write path in one INSERT: the review row carries the card it produced
-- (card_*: the FSRS card after this answer, as recorded; NULL for reviews loaded by
-- imports or recorded before this migration), and the review trigger writes that
-- card into learner_words and advances the session queue, in the same statement
-- that moves the counters.  Recording an answer is then BEGIN IMMEDIATE, one
-- SELECT (which also takes the review id: sqlite_sequence under the write lock),
-- one INSERT, COMMIT.  Undo is unchanged: it restores the prev_* snapshot.
ALTER TABLE words_review_items ADD COLUMN card_state INTEGER;
ALTER TABLE words_review_items ADD COLUMN card_step INTEGER;
ALTER TABLE words_review_items ADD COLUMN card_stability REAL;
ALTER TABLE words_review_items ADD COLUMN card_difficulty REAL;
ALTER TABLE words_review_items ADD COLUMN card_due TEXT;

DROP TRIGGER review_counters;

-- As in 0005 (counters), then, for an answer that carries its card (card_state set):
-- the card columns (last_review is the answer's time; first_review the first
-- answer's since the word has had a card), the queue entry it serves (the word's
-- first open one) and, for an Again that served a planned entry, the word once more
-- at the end of the queue (added_by: this answer, so undo removes it).
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
    WHERE NEW.card_state IS NOT NULL
      AND learner_id = (SELECT learner_id FROM study_sessions WHERE id = NEW.study_session_id)
      AND word_id = NEW.word_id;
    UPDATE session_queue SET review_id = NEW.id
    WHERE NEW.card_state IS NOT NULL AND study_session_id = NEW.study_session_id
      AND position = (SELECT MIN(position) FROM session_queue
                      WHERE study_session_id = NEW.study_session_id
                        AND word_id = NEW.word_id AND review_id IS NULL);
    INSERT INTO session_queue (study_session_id, position, word_id, reason, added_by)
    SELECT NEW.study_session_id, MAX(position) + 1, NEW.word_id, 'again', NEW.id
    FROM session_queue
    WHERE NEW.card_state IS NOT NULL AND NEW.rating = 1
      AND study_session_id = NEW.study_session_id
    HAVING COUNT(CASE WHEN review_id = NEW.id AND reason <> 'again' THEN 1 END) > 0;
END;
