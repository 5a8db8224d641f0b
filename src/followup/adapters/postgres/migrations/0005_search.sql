-- Search on the Applications page through a full-text index (issue 12), as the local store
-- does with FTS5 (its migration 0012): company, position, notes, the contacts (names,
-- emails, phones) and the job posting, each word without case or accents.
--
-- One tsvector per application, written by the store with the application itself (each
-- write stores an application whole, contacts included) from the words of
-- followup/domain/search.py, made in Python: see adapters/postgres/search_index.py. The
-- rows already there are indexed by the same code, in this migration's transaction, right
-- after this file (schema.py runs it for a migration named *_search.sql).
--

ALTER TABLE application ADD COLUMN search tsvector NOT NULL DEFAULT '';

-- A seeker's query reads `seeker_id = $1 AND search @@ $2`: the GIN index finds the
-- matches, the primary key's leading seeker_id keeps them to the seeker.
CREATE INDEX application_search ON application USING gin (search);
