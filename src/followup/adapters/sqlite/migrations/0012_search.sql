-- Search on the Applications page through SQLite's full-text index (issue 12), instead of
-- LIKE scans over company and position only: company, position, notes, the contacts
-- (names, emails, phones) and the job posting. One row per application, rewritten by the
-- adapter's writes (adapters/sqlite/search_index.py). FTS5 rows need integer ids and an
-- application's key is text: application_search_key numbers them.

CREATE TABLE application_search_key (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE
);

-- Words as runs of letters and digits, without case or accents (domain/search.py splits
-- a query the same way).
CREATE VIRTUAL TABLE application_search USING fts5(
    company, position, notes, contacts, posting,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO application_search_key (application_id) SELECT id FROM application ORDER BY id;

INSERT INTO application_search (rowid, company, position, notes, contacts, posting)
SELECT k.id, a.company, a.position, a.notes,
    (SELECT group_concat(c.name || coalesce(' ' || c.email, '') || coalesce(' ' || c.phone, ''), ' ')
     FROM contact AS c WHERE c.application_id = a.id),
    a.posting
FROM application AS a JOIN application_search_key AS k ON k.application_id = a.id;

-- The table's default order (newest first) read from an index, alone or within a status,
-- instead of sorting every application for each page; and by company within a status
-- (application_company_key serves it without one).
CREATE INDEX application_added ON application (coalesce(applied_on, recorded_on), id);
CREATE INDEX application_status_added ON application (status, coalesce(applied_on, recorded_on), id);
CREATE INDEX application_status_company ON application (status, company_key);
