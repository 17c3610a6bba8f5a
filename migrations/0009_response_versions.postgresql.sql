-- Versions of the data a rendered response was made from (webapp/response_cache.py).
-- scope -1: the database's epoch, a random number drawn here, so a database made
--           anew (or, on PostgreSQL, TRUNCATEd) never repeats an older one's versions;
-- scope  0: the content everyone sees (words, groups, their links, study activities);
-- scope  L: learner L's own data (cards, sessions and their queues, totals, profile).
-- Triggers move them in the same transaction as the change, whoever makes it (the
-- app, the CLI, a bulk import, a reset), so a cached response is never served for
-- data that has changed since.

CREATE TABLE data_versions (
    scope INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);

INSERT INTO data_versions (scope, version) VALUES (-1, floor(random() * 1e12)::bigint), (0, 1);

CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
    RETURN NULL;
END;
$$;

-- TRUNCATE fires no row trigger: it moves the epoch, which every cached key holds.
CREATE FUNCTION bump_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = -1;
    RETURN NULL;
END;
$$;

CREATE FUNCTION bump_learner_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        owner := OLD.learner_id;
    ELSE
        owner := NEW.learner_id;
    END IF;
    INSERT INTO data_versions (scope, version) VALUES (owner, 1)
    ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1;
    RETURN NULL;
END;
$$;

CREATE FUNCTION bump_profile_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        owner := OLD.id;
    ELSE
        owner := NEW.id;
    END IF;
    INSERT INTO data_versions (scope, version) VALUES (owner, 1)
    ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1;
    RETURN NULL;
END;
$$;

-- a queue row whose session is already gone (a cascade) has no learner left
CREATE FUNCTION bump_queue_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    session_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        session_id := OLD.study_session_id;
    ELSE
        session_id := NEW.study_session_id;
    END IF;
    INSERT INTO data_versions (scope, version)
    SELECT learner_id, 1 FROM study_sessions WHERE id = session_id
    ON CONFLICT (scope) DO UPDATE SET version = data_versions.version + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER words_version AFTER INSERT OR UPDATE OR DELETE ON words
FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

CREATE TRIGGER groups_version AFTER INSERT OR UPDATE OR DELETE ON groups
FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

CREATE TRIGGER words_groups_version AFTER INSERT OR UPDATE OR DELETE ON words_groups
FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

CREATE TRIGGER study_activities_version AFTER INSERT OR UPDATE OR DELETE ON study_activities
FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

CREATE TRIGGER learner_words_version AFTER INSERT OR UPDATE OR DELETE ON learner_words
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER learner_groups_version AFTER INSERT OR UPDATE OR DELETE ON learner_groups
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER learner_stats_version AFTER INSERT OR UPDATE OR DELETE ON learner_stats
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER study_sessions_version AFTER INSERT OR UPDATE OR DELETE ON study_sessions
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER learner_tokens_version AFTER INSERT OR UPDATE OR DELETE ON learner_tokens
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER learner_move_codes_version AFTER INSERT OR UPDATE OR DELETE ON learner_move_codes
FOR EACH ROW EXECUTE FUNCTION bump_learner_version();

CREATE TRIGGER learners_version AFTER INSERT OR UPDATE OR DELETE ON learners
FOR EACH ROW EXECUTE FUNCTION bump_profile_version();

CREATE TRIGGER session_queue_version AFTER INSERT OR UPDATE OR DELETE ON session_queue
FOR EACH ROW EXECUTE FUNCTION bump_queue_version();

CREATE TRIGGER words_truncated AFTER TRUNCATE ON words
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER groups_truncated AFTER TRUNCATE ON groups
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER words_groups_truncated AFTER TRUNCATE ON words_groups
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER study_activities_truncated AFTER TRUNCATE ON study_activities
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learner_words_truncated AFTER TRUNCATE ON learner_words
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learner_groups_truncated AFTER TRUNCATE ON learner_groups
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learner_stats_truncated AFTER TRUNCATE ON learner_stats
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER study_sessions_truncated AFTER TRUNCATE ON study_sessions
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learner_tokens_truncated AFTER TRUNCATE ON learner_tokens
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learner_move_codes_truncated AFTER TRUNCATE ON learner_move_codes
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER learners_truncated AFTER TRUNCATE ON learners
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();

CREATE TRIGGER session_queue_truncated AFTER TRUNCATE ON session_queue
FOR EACH STATEMENT EXECUTE FUNCTION bump_epoch();
