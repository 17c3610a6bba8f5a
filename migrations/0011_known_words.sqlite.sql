-- "Known" words (stability of at least 21 days) are counted on every dashboard and
-- progress read: this index makes that count a range of one learner's entries
-- instead of a pass over every card the learner holds (14 ms at 20,000 cards).
CREATE INDEX learner_words_stability ON learner_words (learner_id, stability)
    WHERE stability IS NOT NULL;
