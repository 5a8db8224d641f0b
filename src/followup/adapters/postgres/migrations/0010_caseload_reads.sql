-- A coach's caseload (issue 15: 50 seekers, p99 <= 100 ms at 50 looks/s) read from the
-- indexes alone where it can, and its access log rewritten in place.
--
-- The overdue count of each seeker walked `planned_action_order` and then read every
-- overdue row's heap tuple (about a kilobyte of JSON each, rarely in the buffer cache) only
-- to look at its two validity instants: carried in the index now, the count is an
-- index-only scan. The order's columns and so its walks (Today's pages) are unchanged.
CREATE INDEX planned_action_order_valid ON planned_action
    (seeker_id, due, kind, application_id, contact NULLS FIRST, action_id)
    INCLUDE (valid_from, valid_until);
DROP INDEX planned_action_order;
ALTER INDEX planned_action_order_valid RENAME TO planned_action_order;

-- "Done late in the last 30 days": the timed follow-ups of each seeker since a day, read
-- from the index with what the count and the late ones need.
CREATE INDEX follow_up_timing_done_covering ON follow_up_timing (seeker_id, done)
    INCLUDE (due, application_id, touch_id);
DROP INDEX follow_up_timing_done;
ALTER INDEX follow_up_timing_done_covering RENAME TO follow_up_timing_done;

-- Each look of a coach updates one row per seeker (times, last_at): with `last_at` in an
-- index, every update wrote new index entries and left a dead row for vacuum (a caseload
-- of 50 seekers looked at 50 times a second: 2,500 a second). Without it, and with room
-- left in each page, an update is a heap-only one (HOT) that later looks prune in place.
-- A seeker's log is read newest first by day, then by last look: `last_at` falls on the
-- row's UTC `day` (services/coaching.py), so that is the order of `last_at` itself.
DROP INDEX coach_look_latest;
CREATE INDEX coach_look_day ON coach_look (seeker_id, day);
ALTER TABLE coach_look SET (fillfactor = 70);
