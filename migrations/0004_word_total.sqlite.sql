-- The number of words, kept by triggers: counting 100,000 rows for every list page
-- and every dashboard is a full scan on PostgreSQL.  Resets and bulk loads set it
-- from the rows (webapp/queries/stats.py, recount_all).

CREATE TABLE portal_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    words_count INTEGER NOT NULL DEFAULT 0
);

INSERT INTO portal_totals (id, words_count) SELECT 1, COUNT(*) FROM words;

CREATE TRIGGER words_counted AFTER INSERT ON words
BEGIN
    UPDATE portal_totals SET words_count = words_count + 1;
END;

CREATE TRIGGER words_uncounted AFTER DELETE ON words
BEGIN
    UPDATE portal_totals SET words_count = words_count - 1;
END;
