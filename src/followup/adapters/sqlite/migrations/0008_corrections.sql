-- Records a person can live with (issue 8): the job posting kept with its application,
-- notes on interviews and touches, cancelled interviews, and the history of changes
-- that `followup undo` walks back.

ALTER TABLE application ADD COLUMN posting TEXT;
ALTER TABLE interview ADD COLUMN notes TEXT;
ALTER TABLE interview ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0
    CHECK (cancelled = 0 OR cancelled = 1);
ALTER TABLE touch ADD COLUMN notes TEXT;

-- One row per change a user made (one command, one form, one API call). `records` holds,
-- for each application it changed, the application as it was before (NULL: it did not
-- exist) and a fingerprint of it after (NULL: deleted), and the settings likewise; an undo
-- restores the "before" side once every "after" still matches what is stored.
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    summary TEXT NOT NULL,
    records TEXT NOT NULL, -- JSON
    undoes INTEGER REFERENCES history (id), -- set on the entry an undo writes
    undone_by INTEGER REFERENCES history (id)
);
CREATE INDEX history_undoable ON history (id) WHERE undoes IS NULL AND undone_by IS NULL;
