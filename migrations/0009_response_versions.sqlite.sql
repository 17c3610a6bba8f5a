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

INSERT INTO data_versions (scope, version) VALUES (-1, abs(random() % 1000000000000)), (0, 1);

CREATE TRIGGER words_version_insert AFTER INSERT ON words
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER words_version_update AFTER UPDATE ON words
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER words_version_delete AFTER DELETE ON words
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER groups_version_insert AFTER INSERT ON groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER groups_version_update AFTER UPDATE ON groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER groups_version_delete AFTER DELETE ON groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER words_groups_version_insert AFTER INSERT ON words_groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER words_groups_version_update AFTER UPDATE ON words_groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER words_groups_version_delete AFTER DELETE ON words_groups
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER study_activities_version_insert AFTER INSERT ON study_activities
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER study_activities_version_update AFTER UPDATE ON study_activities
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER study_activities_version_delete AFTER DELETE ON study_activities
BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = 0;
END;

CREATE TRIGGER learner_words_version_insert AFTER INSERT ON learner_words
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_words_version_update AFTER UPDATE ON learner_words
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_words_version_delete AFTER DELETE ON learner_words
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_groups_version_insert AFTER INSERT ON learner_groups
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_groups_version_update AFTER UPDATE ON learner_groups
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_groups_version_delete AFTER DELETE ON learner_groups
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_stats_version_insert AFTER INSERT ON learner_stats
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_stats_version_update AFTER UPDATE ON learner_stats
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_stats_version_delete AFTER DELETE ON learner_stats
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER study_sessions_version_insert AFTER INSERT ON study_sessions
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER study_sessions_version_update AFTER UPDATE ON study_sessions
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER study_sessions_version_delete AFTER DELETE ON study_sessions
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_tokens_version_insert AFTER INSERT ON learner_tokens
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_tokens_version_update AFTER UPDATE ON learner_tokens
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_tokens_version_delete AFTER DELETE ON learner_tokens
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_move_codes_version_insert AFTER INSERT ON learner_move_codes
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_move_codes_version_update AFTER UPDATE ON learner_move_codes
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learner_move_codes_version_delete AFTER DELETE ON learner_move_codes
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.learner_id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learners_version_insert AFTER INSERT ON learners
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learners_version_update AFTER UPDATE ON learners
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (NEW.id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER learners_version_delete AFTER DELETE ON learners
BEGIN
    INSERT INTO data_versions (scope, version) VALUES (OLD.id, 1)
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER session_queue_version_insert AFTER INSERT ON session_queue
BEGIN
    INSERT INTO data_versions (scope, version)
    SELECT learner_id, 1 FROM study_sessions WHERE id = NEW.study_session_id
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER session_queue_version_update AFTER UPDATE ON session_queue
BEGIN
    INSERT INTO data_versions (scope, version)
    SELECT learner_id, 1 FROM study_sessions WHERE id = NEW.study_session_id
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER session_queue_version_delete AFTER DELETE ON session_queue
BEGIN
    INSERT INTO data_versions (scope, version)
    SELECT learner_id, 1 FROM study_sessions WHERE id = OLD.study_session_id
    ON CONFLICT (scope) DO UPDATE SET version = version + 1;
END;
