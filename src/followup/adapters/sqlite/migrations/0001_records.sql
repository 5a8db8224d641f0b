-- The records of a job search (RULES.md, "Words"). Times are UTC ISO 8601 text with
-- microseconds (fixed width, so text order is time order); dates are ISO local dates.
-- Tables keyed by text are WITHOUT ROWID: one b-tree each instead of a table and its
-- key index. CHECKs are written as OR chains: SQLite 3.40 evaluates `x IN (...)` in a
-- CHECK by building a temporary table for every row, which tripled the cost of an insert.

CREATE TABLE followup_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL -- JSON
) WITHOUT ROWID;

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
) WITHOUT ROWID;
CREATE INDEX application_company_key ON application (company_key);

CREATE TABLE contact (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL, -- the order the user recorded them in
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role = 'interviewer' OR role = 'hr' OR role = 'other'),
    email TEXT,
    phone TEXT,
    name_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (name_confirmed = 0 OR name_confirmed = 1),
    PRIMARY KEY (application_id, id)
) WITHOUT ROWID;

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
    answer_by TEXT,
    PRIMARY KEY (application_id, id)
) WITHOUT ROWID;

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
    vacancies TEXT,
    PRIMARY KEY (application_id, id),
    FOREIGN KEY (application_id, contact_id) REFERENCES contact (application_id, id)
) WITHOUT ROWID;

CREATE TABLE dismissal (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    PRIMARY KEY (application_id, action_id)
) WITHOUT ROWID;
