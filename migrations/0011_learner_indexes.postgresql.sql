-- "Known" words (stability of at least 21 days) are counted on every dashboard and
-- progress read: this index makes that count a range of one learner's entries
-- instead of a pass over every card the learner holds (14 ms at 20,000 cards).
CREATE INDEX learner_words_stability ON learner_words (learner_id, stability)
    WHERE stability IS NOT NULL;

-- A group's (and an activity's) sessions of one learner, newest first: their pages and
-- counts read one learner's sessions of one group, which the indexes by learner or by
-- group alone answered by filtering every session of the learner (7 ms at 5x).
CREATE INDEX study_sessions_by_learner_group ON study_sessions
    (learner_id, group_id, created_at, id);
CREATE INDEX study_sessions_by_learner_activity ON study_sessions
    (learner_id, study_activity_id, created_at, id);
