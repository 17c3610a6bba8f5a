-- The number of words, kept by triggers: counting 100,000 rows for every list page
-- and every dashboard is a full scan on PostgreSQL.  TRUNCATE fires no row
-- triggers, so resets and bulk loads set it from the rows
-- (webapp/queries/stats.py, recount_all).

CREATE TABLE portal_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    words_count INTEGER NOT NULL DEFAULT 0
);

INSERT INTO portal_totals (id, words_count) SELECT 1, COUNT(*) FROM words;

CREATE FUNCTION count_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portal_totals
    SET words_count = words_count + CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
    RETURN NULL;
END;
$$;

CREATE TRIGGER words_counted AFTER INSERT OR DELETE ON words
FOR EACH ROW EXECUTE FUNCTION count_words();
