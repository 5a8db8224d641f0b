-- Bounded lists (issue 12), as the local store's 0011: `followup today` and the Today page
-- show a page of each section in FORMAT.md's order (due, kind, application, contact; then
-- the action's id), and the Applications page each application's first action. The order's
-- kind and contact, kept in columns of their own, let an index walk give a page in order
-- instead of sorting every current row of the seeker (and reading each body's JSON) per
-- page. "C": byte order, the local store's, whatever the database's locale.
--

ALTER TABLE planned_action ADD COLUMN kind text COLLATE "C";
ALTER TABLE planned_action ADD COLUMN contact text COLLATE "C";

UPDATE planned_action SET kind = body::jsonb ->> 'kind', contact = body::jsonb ->> 'contact';

-- No contact sorts first, as SQLite's NULLs do.
CREATE INDEX planned_action_order ON planned_action
    (seeker_id, due, kind, application_id, contact NULLS FIRST, action_id);
