-- Every review moves the counters it feeds (the word's, the session's and the
-- learner's) inside the INSERT itself, so recording an answer is one statement.
-- Bulk loads switch the trigger off and recount everything afterwards
-- (webapp/queries/stats.py: pause_review_counters, recount_all).

CREATE FUNCTION count_review() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    right_answer integer := CASE WHEN NEW.correct THEN 1 ELSE 0 END;
    word_total integer;
BEGIN
    UPDATE words
    SET correct_count = correct_count + right_answer,
        wrong_count = wrong_count + 1 - right_answer
    WHERE id = NEW.word_id
    RETURNING correct_count + wrong_count INTO word_total;
    -- reviews may commit out of time order: never move last_review_at back
    UPDATE study_sessions
    SET correct_count = correct_count + right_answer,
        wrong_count = wrong_count + 1 - right_answer,
        last_review_at = GREATEST(last_review_at, NEW.created_at)
    WHERE id = NEW.study_session_id;
    UPDATE learner_stats
    SET correct_count = correct_count + right_answer,
        wrong_count = wrong_count + 1 - right_answer,
        words_studied = words_studied + CASE WHEN word_total = 1 THEN 1 ELSE 0 END
    WHERE learner_id = (SELECT learner_id FROM study_sessions WHERE id = NEW.study_session_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER review_counters AFTER INSERT ON words_review_items
FOR EACH ROW EXECUTE FUNCTION count_review();
