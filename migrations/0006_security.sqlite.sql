-- Rate limits kept in the database, so every worker and every instance counts
-- the same attempts (sign-in, admin token guesses, learner profile creation,
-- move-code redemption).  One row per (bucket, key): a fixed window that starts
-- again when it has passed.  window_start is whole seconds since the epoch (an
-- integer on both databases): the limiter only does arithmetic on it.

CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_seconds INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
);

-- Expired rows are pruned per bucket by age.
CREATE INDEX rate_limits_expiry ON rate_limits (bucket, window_start);
