-- Every review moves the counters it feeds (the word's, the session's and the
-- learner's) inside the INSERT itself, so recording an answer is one statement.
-- Bulk loads (import-seed-db, import) recount everything afterwards anyway
-- (webapp/queries/stats.py, recount_all).

CREATE TRIGGER review_counters AFTER INSERT ON words_review_items
BEGIN
    UPDATE words
    SET correct_count = correct_count + NEW.correct,
        wrong_count = wrong_count + 1 - NEW.correct
    WHERE id = NEW.word_id;
    -- reviews may commit out of time order: never move last_review_at back
    UPDATE study_sessions
    SET correct_count = correct_count + NEW.correct,
        wrong_count = wrong_count + 1 - NEW.correct,
        last_review_at = MAX(COALESCE(last_review_at, NEW.created_at), NEW.created_at)
    WHERE id = NEW.study_session_id;
    UPDATE learner_stats
    SET correct_count = correct_count + NEW.correct,
        wrong_count = wrong_count + 1 - NEW.correct,
        words_studied = words_studied
            + (SELECT correct_count + wrong_count = 1 FROM words WHERE id = NEW.word_id)
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = NEW.study_session_id);
END;
