-- The server's schema (issue 15): the records of many job searches in one database.
--
-- Ownership: every row belongs to one seeker. Each table holds `seeker_id`, and every key
-- starts with it: an application is (seeker_id, id), a contact (seeker_id, application_id,
-- id), and so on. References between tables are composite and include `seeker_id`, so a
-- row of one seeker can never point at a row of another, whatever the application code
-- does. Ids chosen by users (application ids, contact ids) may repeat across seekers.
--
-- Types are PostgreSQL's own: instants are timestamptz (with the offset they were given
-- with kept beside, as in the local store, to show them back), days are date, flags are
-- boolean. Text that is sorted or compared as a key uses the "C" collation, so that the
-- order is the same as the local store's (byte order) whatever the database's locale.

-- An account signs in; its role says what it may do. Only a seeker account owns a job
-- search: `seeker` has a row per such account, and the composite reference (id, role)
-- keeps it so (an account holding a search cannot change its role).
CREATE TABLE account (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    role text NOT NULL CHECK (role IN ('seeker', 'coach', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz,
    UNIQUE (id, role)
);

CREATE TABLE seeker (
    id bigint PRIMARY KEY,
    role text NOT NULL DEFAULT 'seeker' CHECK (role = 'seeker'),
    -- Moves at each committed write of this seeker: the web app's page cache trusts it.
    changes bigint NOT NULL DEFAULT 0,
    -- The planner version the stored plan was made by (a new one re-plans).
    plan_version text,
    FOREIGN KEY (id, role) REFERENCES account (id, role) ON DELETE CASCADE
);

CREATE TABLE setting (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    key text COLLATE "C" NOT NULL,
    value text NOT NULL, -- JSON
    PRIMARY KEY (seeker_id, key)
);

CREATE TABLE application (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    id text COLLATE "C" NOT NULL,
    company text NOT NULL,
    company_key text COLLATE "C" NOT NULL, -- R13: same company ignoring case and spaces
    position text COLLATE "C" NOT NULL,
    status text COLLATE "C" NOT NULL DEFAULT 'active' CHECK (
        status IN ('active', 'offer', 'accepted', 'rejected', 'withdrawn', 'no_response')
    ),
    applied_on date,
    recorded_on date,
    link text,
    source text,
    notes text,
    snoozed_until date,
    posting text,
    PRIMARY KEY (seeker_id, id)
);
CREATE INDEX application_company_key ON application (seeker_id, company_key);
CREATE INDEX application_status ON application (seeker_id, status, applied_on, recorded_on);

CREATE TABLE contact (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seq integer NOT NULL, -- the order the user recorded them in
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('interviewer', 'hr', 'other')),
    email text,
    phone text,
    name_confirmed boolean NOT NULL DEFAULT false,
    email_failed_on date,
    PRIMARY KEY (seeker_id, application_id, id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_email ON contact (seeker_id, lower(email)) WHERE email IS NOT NULL;

CREATE TABLE interview (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seq integer NOT NULL,
    at timestamptz NOT NULL,
    at_offset integer NOT NULL, -- the offset it was given with, in minutes
    contacts_every_applicant boolean,
    direct_contact_ok boolean,
    window_days text, -- e.g. 'tue,thu'; NULL when no window was recorded
    window_start text,
    window_end text,
    answer_by date,
    notes text,
    cancelled boolean NOT NULL DEFAULT false,
    PRIMARY KEY (seeker_id, application_id, id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX interview_at ON interview (seeker_id, at);

CREATE TABLE interviewer (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    interview_id text COLLATE "C" NOT NULL,
    seq integer NOT NULL,
    contact_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (seeker_id, application_id, interview_id, seq),
    FOREIGN KEY (seeker_id, application_id, interview_id)
        REFERENCES interview (seeker_id, application_id, id) ON DELETE CASCADE,
    FOREIGN KEY (seeker_id, application_id, contact_id)
        REFERENCES contact (seeker_id, application_id, id)
);

CREATE TABLE touch (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seq integer NOT NULL,
    at timestamptz NOT NULL,
    at_offset integer NOT NULL,
    contact_id text COLLATE "C",
    channel text NOT NULL CHECK (channel IN ('email', 'phone')),
    purpose text NOT NULL CHECK (purpose IN ('thank_you', 'status')),
    outcome text NOT NULL CHECK (
        outcome IN ('sent', 'reached', 'no_answer', 'voicemail', 'replied', 'skipped')
    ),
    decision text CHECK (decision IN ('undecided', 'rejected', 'offer')),
    decision_by date,
    vacancies text,
    message_id text,
    notes text,
    PRIMARY KEY (seeker_id, application_id, id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE,
    FOREIGN KEY (seeker_id, application_id, contact_id)
        REFERENCES contact (seeker_id, application_id, id)
);
CREATE INDEX touch_message_id ON touch (seeker_id, message_id) WHERE message_id IS NOT NULL;

CREATE TABLE dismissal (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    action_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (seeker_id, application_id, action_id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);

-- The stored plan, derived from the records at each write (see the local store's 0002).
CREATE TABLE plan_application (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    is_open boolean NOT NULL, -- R9 counts the open ones
    added_on date, -- R9: applied_on, else the day it was recorded
    exact_from timestamptz NOT NULL, -- the stored rows are exact from this instant on
    PRIMARY KEY (seeker_id, application_id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX plan_application_open ON plan_application (seeker_id) WHERE is_open;
CREATE INDEX plan_application_added ON plan_application (seeker_id, added_on);
CREATE INDEX plan_application_exact_from ON plan_application (seeker_id, exact_from);

CREATE TABLE planned_action (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    action_id text COLLATE "C" NOT NULL,
    valid_from timestamptz, -- the action applies from this instant (NULL: always has)...
    valid_until timestamptz, -- ...until this one (NULL: until the records change)
    due date NOT NULL,
    body text NOT NULL, -- the whole action, JSON
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX planned_action_application ON planned_action (seeker_id, application_id, action_id);
CREATE INDEX planned_action_open_due ON planned_action (seeker_id, due) WHERE valid_until IS NULL;
CREATE INDEX planned_action_bounded ON planned_action (seeker_id, valid_until)
    WHERE valid_until IS NOT NULL;
CREATE INDEX planned_action_from ON planned_action (seeker_id, valid_from)
    WHERE valid_from IS NOT NULL;

-- Email: the outbox (stored before it is sent), and how far each folder was read.
CREATE TABLE outbox (
    seeker_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    action_id text COLLATE "C" NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    contact_id text COLLATE "C",
    purpose text NOT NULL CHECK (purpose IN ('thank_you', 'status')),
    message_id text NOT NULL,
    sender text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    message bytea NOT NULL, -- the exact bytes that go out
    state text NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (seeker_id, id),
    UNIQUE (seeker_id, message_id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX outbox_state ON outbox (seeker_id, state);

CREATE TABLE mail_folder (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    folder text NOT NULL,
    uidvalidity bigint NOT NULL,
    last_uid bigint NOT NULL,
    PRIMARY KEY (seeker_id, folder)
);

-- At most one calendar feed per seeker. The token's hash is unique across seekers: the
-- feed's address is all a calendar app sends, so it alone must name its seeker.
CREATE TABLE calendar_feed (
    seeker_id bigint PRIMARY KEY REFERENCES seeker (id) ON DELETE CASCADE,
    token_sha256 text NOT NULL UNIQUE,
    notes boolean NOT NULL,
    phones boolean NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE digest (
    seeker_id bigint PRIMARY KEY REFERENCES seeker (id) ON DELETE CASCADE,
    made_at timestamptz NOT NULL,
    seen text NOT NULL, -- JSON: [[action id, due date], ...] as the last digest listed them
    sent_on date -- the local day a digest was last emailed
);

-- The history of changes (`followup history`, `undo`); an undo names the entry it
-- reverts, always one of the same seeker.
CREATE TABLE history (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL,
    summary text NOT NULL,
    records text NOT NULL, -- JSON
    undoes bigint,
    undone_by bigint,
    PRIMARY KEY (seeker_id, id),
    FOREIGN KEY (seeker_id, undoes) REFERENCES history (seeker_id, id),
    FOREIGN KEY (seeker_id, undone_by) REFERENCES history (seeker_id, id)
);
CREATE INDEX history_undoable ON history (seeker_id, id) WHERE undoes IS NULL AND undone_by IS NULL;
