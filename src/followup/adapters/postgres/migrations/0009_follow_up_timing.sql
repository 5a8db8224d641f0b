-- A coach's caseload (issue 15): each status follow-up's due day and the day it was done
-- (domain/punctuality.py), kept as the stored plan is: computed when the records that decide
-- it are written (the company's applications, the settings), so that the caseload's "done
-- late in the last 30 days" is one aggregate over all its seekers, whatever they changed.
-- Deleting an application deletes its rows (the cascade); re-planning a company replaces
-- the rows of its applications.
CREATE TABLE follow_up_timing (
    seeker_id bigint NOT NULL,
    application_id text COLLATE "C" NOT NULL,
    touch_id text COLLATE "C" NOT NULL,
    done date NOT NULL, -- the local day of the follow-up
    due date, -- the day its status action was due just before it; NULL: none was
    PRIMARY KEY (seeker_id, application_id, touch_id),
    FOREIGN KEY (seeker_id, application_id)
        REFERENCES application (seeker_id, id) ON DELETE CASCADE
);
CREATE INDEX follow_up_timing_done ON follow_up_timing (seeker_id, done);

-- The searches stored before this migration have no rows yet: forgetting the planner
-- version of their stored plan makes the first use of each (services/planning.py,
-- ensure_current) re-plan it, which times its follow-ups.
UPDATE seeker SET plan_version = NULL;
