-- index application_added
CREATE INDEX application_added ON application (coalesce(applied_on, recorded_on), id);
-- index application_company_key
CREATE INDEX application_company_key ON application (company_key);
-- index application_status
CREATE INDEX application_status ON application (status, applied_on, recorded_on);
-- index application_status_added
CREATE INDEX application_status_added ON application (status, coalesce(applied_on, recorded_on), id);
-- index application_status_company
CREATE INDEX application_status_company ON application (status, company_key);
-- index history_undoable
CREATE INDEX history_undoable ON history (id) WHERE undoes IS NULL AND undone_by IS NULL;
-- index interview_at
CREATE INDEX interview_at ON interview (at);
-- index outbox_action
CREATE INDEX outbox_action ON outbox (action_id);
-- index outbox_state
CREATE INDEX outbox_state ON outbox (state);
-- index plan_application_added
CREATE INDEX plan_application_added ON plan_application (added_on);
-- index plan_application_exact_from
CREATE INDEX plan_application_exact_from ON plan_application (exact_from);
-- index plan_application_open
CREATE INDEX plan_application_open ON plan_application (is_open);
-- index planned_action_application
CREATE INDEX planned_action_application ON planned_action (application_id, action_id);
-- index planned_action_bounded
CREATE INDEX planned_action_bounded ON planned_action (valid_until) WHERE valid_until IS NOT NULL;
-- index planned_action_from
CREATE INDEX planned_action_from ON planned_action (valid_from) WHERE valid_from IS NOT NULL;
-- index planned_action_open_due
CREATE INDEX planned_action_open_due ON planned_action (due) WHERE valid_until IS NULL;
-- index planned_action_order
CREATE INDEX planned_action_order
    ON planned_action (due, kind, application_id, contact, action_id, valid_from, valid_until);
-- index touch_message_id
CREATE INDEX touch_message_id ON touch (message_id) WHERE message_id IS NOT NULL;
-- table application
CREATE TABLE application (
    id TEXT PRIMARY KEY,
    company TEXT NOT NULL,
    company_key TEXT NOT NULL, -- R13: same company when names match ignoring case and spaces
    position TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (
            status = 'active' OR status = 'offer' OR status = 'accepted'
            OR status = 'rejected' OR status = 'withdrawn' OR status = 'no_response'
        ),
    applied_on TEXT,
    recorded_on TEXT,
    link TEXT,
    source TEXT,
    notes TEXT,
    snoozed_until TEXT
, posting TEXT) WITHOUT ROWID;
-- table application_search
CREATE VIRTUAL TABLE application_search USING fts5(
    company, position, notes, contacts, posting,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- table application_search_config
CREATE TABLE 'application_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
-- table application_search_content
CREATE TABLE 'application_search_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3, c4);
-- table application_search_data
CREATE TABLE 'application_search_data'(id INTEGER PRIMARY KEY, block BLOB);
-- table application_search_docsize
CREATE TABLE 'application_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
-- table application_search_idx
CREATE TABLE 'application_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
-- table application_search_key
CREATE TABLE application_search_key (
    id INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE
);
-- table calendar_feed
CREATE TABLE calendar_feed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token_sha256 TEXT NOT NULL,
    notes INTEGER NOT NULL CHECK (notes = 0 OR notes = 1),
    phones INTEGER NOT NULL CHECK (phones = 0 OR phones = 1),
    created_at TEXT NOT NULL
);
-- table contact
CREATE TABLE contact (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL, -- the order the user recorded them in
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role = 'interviewer' OR role = 'hr' OR role = 'other'),
    email TEXT,
    phone TEXT,
    name_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (name_confirmed = 0 OR name_confirmed = 1), email_failed_on TEXT,
    PRIMARY KEY (application_id, id)
) WITHOUT ROWID;
-- table digest
CREATE TABLE digest (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    made_at TEXT NOT NULL,
    seen TEXT NOT NULL, -- JSON: [[action id, due date], ...] as the last digest listed them
    sent_on TEXT -- the local day a digest was last emailed
);
-- table dismissal
CREATE TABLE dismissal (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    PRIMARY KEY (application_id, action_id)
) WITHOUT ROWID;
-- table followup_meta
CREATE TABLE followup_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
-- table history
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    summary TEXT NOT NULL,
    records TEXT NOT NULL, -- JSON
    undoes INTEGER REFERENCES history (id), -- set on the entry an undo writes
    undone_by INTEGER REFERENCES history (id)
);
-- table holiday
CREATE TABLE holiday (
    country TEXT NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (country, day)
) WITHOUT ROWID;
-- table holiday_year
CREATE TABLE holiday_year (
    country TEXT NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (country, year)
) WITHOUT ROWID;
-- table interview
CREATE TABLE interview (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    at_offset INTEGER NOT NULL, -- the offset it was given with, in minutes, to show it back
    contacts_every_applicant INTEGER
        CHECK (contacts_every_applicant = 0 OR contacts_every_applicant = 1),
    direct_contact_ok INTEGER CHECK (direct_contact_ok = 0 OR direct_contact_ok = 1),
    window_days TEXT, -- e.g. 'tue,thu'; NULL when no window was recorded
    window_start TEXT,
    window_end TEXT,
    answer_by TEXT, notes TEXT, cancelled INTEGER NOT NULL DEFAULT 0
    CHECK (cancelled = 0 OR cancelled = 1),
    PRIMARY KEY (application_id, id)
) WITHOUT ROWID;
-- table interviewer
CREATE TABLE interviewer (
    application_id TEXT NOT NULL,
    interview_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (application_id, interview_id, seq),
    FOREIGN KEY (application_id, interview_id)
        REFERENCES interview (application_id, id) ON DELETE CASCADE,
    FOREIGN KEY (application_id, contact_id) REFERENCES contact (application_id, id)
) WITHOUT ROWID;
-- table mail_folder
CREATE TABLE mail_folder (
    folder TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid INTEGER NOT NULL
) WITHOUT ROWID;
-- table outbox
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    action_id TEXT NOT NULL,
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    contact_id TEXT,
    purpose TEXT NOT NULL CHECK (purpose = 'thank_you' OR purpose = 'status'),
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL, -- the exact bytes that go out
    state TEXT NOT NULL CHECK (state = 'sending' OR state = 'sent' OR state = 'failed'),
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- table plan_application
CREATE TABLE plan_application (
    application_id TEXT PRIMARY KEY REFERENCES application (id) ON DELETE CASCADE,
    is_open INTEGER NOT NULL CHECK (is_open = 0 OR is_open = 1), -- R9 counts the open ones
    added_on TEXT, -- R9: applied_on, else the day it was recorded
    exact_from TEXT NOT NULL -- the stored rows are exact for any instant from this one
) WITHOUT ROWID;
-- table planned_action
CREATE TABLE planned_action (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    valid_from TEXT, -- the action applies from this instant (NULL: always has)...
    valid_until TEXT, -- ...until this one (NULL: until the records change)
    due TEXT NOT NULL,
    body TEXT NOT NULL -- the whole action, JSON
, kind TEXT, contact TEXT, company TEXT, position TEXT, contact_name TEXT, channel TEXT, window_days TEXT, window_start TEXT, window_end TEXT, rule TEXT, reason TEXT);
-- table setting
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON
) WITHOUT ROWID;
-- table touch
CREATE TABLE touch (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    at_offset INTEGER NOT NULL,
    contact_id TEXT,
    channel TEXT NOT NULL CHECK (channel = 'email' OR channel = 'phone'),
    purpose TEXT NOT NULL CHECK (purpose = 'thank_you' OR purpose = 'status'),
    outcome TEXT NOT NULL
        CHECK (
            outcome = 'sent' OR outcome = 'reached' OR outcome = 'no_answer'
            OR outcome = 'voicemail' OR outcome = 'replied' OR outcome = 'skipped'
        ),
    decision TEXT
        CHECK (decision = 'undecided' OR decision = 'rejected' OR decision = 'offer'),
    decision_by TEXT,
    vacancies TEXT, message_id TEXT, notes TEXT,
    PRIMARY KEY (application_id, id),
    FOREIGN KEY (application_id, contact_id) REFERENCES contact (application_id, id)
) WITHOUT ROWID;
