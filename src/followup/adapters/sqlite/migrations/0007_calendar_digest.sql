-- The calendar feed and the daily digest.
--
-- calendar_feed holds at most one feed: the SHA-256 of its secret token (the token itself
-- is shown once and never stored) and what it may show besides the plan.
-- digest remembers what the last digest listed, so the next one can say what is new.

CREATE TABLE calendar_feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token_sha256 TEXT NOT NULL,
    notes INTEGER NOT NULL CHECK (notes = 0 OR notes = 1),
    phones INTEGER NOT NULL CHECK (phones = 0 OR phones = 1),
    created_at TEXT NOT NULL
);

CREATE TABLE digest (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    made_at TEXT NOT NULL,
    seen TEXT NOT NULL, -- JSON: [[action id, due date], ...] as the last digest listed them
    sent_on TEXT -- the local day a digest was last emailed
);
