-- The stored plan: derived from the records at each write, so that reading today's
-- actions is an indexed read. Everything here can be rebuilt (followup doctor --repair);
-- a new planner version re-plans everything when the store is opened.
--
-- A write at instant W stores the actions that apply at W or later, and W as the
-- application's exact_from: a read at an earlier instant (plan --now in the past)
-- re-plans those applications instead of reading them.

CREATE TABLE plan_application (
    application_id TEXT PRIMARY KEY REFERENCES application (id) ON DELETE CASCADE,
    is_open INTEGER NOT NULL CHECK (is_open = 0 OR is_open = 1), -- R9 counts the open ones
    added_on TEXT, -- R9: applied_on, else the day it was recorded
    exact_from TEXT NOT NULL -- the stored rows are exact for any instant from this one
) WITHOUT ROWID;
CREATE INDEX plan_application_open ON plan_application (is_open);
CREATE INDEX plan_application_added ON plan_application (added_on);
CREATE INDEX plan_application_exact_from ON plan_application (exact_from);

CREATE TABLE planned_action (
    application_id TEXT NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    action_id TEXT NOT NULL,
    valid_from TEXT, -- the action applies from this instant (NULL: always has)...
    valid_until TEXT, -- ...until this one (NULL: until the records change)
    due TEXT NOT NULL,
    body TEXT NOT NULL -- the whole action, JSON
);
-- An action id names its application (FORMAT.md, "Action ids"), so this index also
-- finds an action by id.
CREATE INDEX planned_action_application ON planned_action (application_id, action_id);
-- Today's read touches only current rows by due date, plus the few rows that end in
-- the future (actions before an interview): neither grows with past data.
CREATE INDEX planned_action_open_due ON planned_action (due) WHERE valid_until IS NULL;
CREATE INDEX planned_action_bounded ON planned_action (valid_until) WHERE valid_until IS NOT NULL;
