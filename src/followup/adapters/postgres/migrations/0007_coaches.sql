-- Coaches, with consent (issue 15, item 4): a seeker shares their search with a coach
-- account, and sees each time that coach looks at it.

-- A seeker's consent: while this row exists, the coach reads (never writes) the seeker's
-- plan, applications and insights. Revoking deletes it; the next request of the coach
-- finds nothing. The composite reference (coach_id, coach_role) keeps the other end a
-- coach's account, whatever the application code does.
CREATE TABLE share (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    coach_id bigint NOT NULL,
    coach_role text NOT NULL DEFAULT 'coach' CHECK (coach_role = 'coach'),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (seeker_id, coach_id),
    FOREIGN KEY (coach_id, coach_role) REFERENCES account (id, role) ON DELETE CASCADE
);
-- A coach's caseload: the seekers sharing with them.
CREATE INDEX share_coach ON share (coach_id, seeker_id);

-- The access log a seeker reads on their Settings page: each look of a coach at their
-- data, coalesced to one row per coach, what was looked at and UTC day (with how many
-- times, the first and the last). The coach's email is kept beside the id so that the
-- log still says who if the account goes. Rows older than a year are deleted as new
-- looks are written (services/coaching.py: LOG_KEPT_DAYS).
CREATE TABLE coach_look (
    seeker_id bigint NOT NULL REFERENCES seeker (id) ON DELETE CASCADE,
    coach_id bigint REFERENCES account (id) ON DELETE SET NULL,
    coach_email text NOT NULL,
    what text NOT NULL CHECK (what IN ('caseload', 'plan', 'applications', 'insights')),
    day date NOT NULL,
    first_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    times integer NOT NULL DEFAULT 1 CHECK (times > 0),
    UNIQUE (seeker_id, coach_email, what, day)
);
CREATE INDEX coach_look_latest ON coach_look (seeker_id, last_at DESC);
