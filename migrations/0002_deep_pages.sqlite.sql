-- A narrow index on words.id: paging the default (by id) order of a large word
-- list skips entries of this index instead of whole table rows (see
-- queries/words.py, list_words_page).  PostgreSQL's primary-key index already
-- serves this, so the file is SQLite only.
CREATE INDEX words_by_id ON words (id);
