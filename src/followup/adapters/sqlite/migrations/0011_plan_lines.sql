-- Bounded lists (issue 12): `followup today` and the Today page show a page of each
-- section, most urgent first, and count the rest. The page is an indexed walk in the
-- order of FORMAT.md (due, kind, application, contact; then the action's id, so that
-- pages never overlap), and a list line is read from its own columns: no row's JSON body
-- is decoded to print a line. The body stays: it is the whole action (steps, script).

ALTER TABLE planned_action ADD COLUMN kind TEXT;
ALTER TABLE planned_action ADD COLUMN contact TEXT;
ALTER TABLE planned_action ADD COLUMN company TEXT;
ALTER TABLE planned_action ADD COLUMN position TEXT;
ALTER TABLE planned_action ADD COLUMN contact_name TEXT;
ALTER TABLE planned_action ADD COLUMN channel TEXT;
ALTER TABLE planned_action ADD COLUMN window_days TEXT; -- weekday codes, comma-separated:
-- '' is a window of any day, NULL no window at all
ALTER TABLE planned_action ADD COLUMN window_start TEXT; -- HH:MM
ALTER TABLE planned_action ADD COLUMN window_end TEXT;
ALTER TABLE planned_action ADD COLUMN rule TEXT;
ALTER TABLE planned_action ADD COLUMN reason TEXT;

UPDATE planned_action SET
    kind = json_extract(body, '$.kind'),
    contact = json_extract(body, '$.contact'),
    company = json_extract(body, '$.company'),
    position = json_extract(body, '$.position'),
    contact_name = json_extract(body, '$.contact_name'),
    channel = json_extract(body, '$.channel'),
    window_days = CASE WHEN json_type(body, '$.window') = 'object' THEN coalesce(
        (SELECT group_concat(value, ',') FROM json_each(body, '$.window.days')), '') END,
    window_start = json_extract(body, '$.window.start'),
    window_end = json_extract(body, '$.window.end'),
    rule = json_extract(body, '$.rule'),
    reason = json_extract(body, '$.reason');

-- The walk and the counts read this index alone (the instants are in it): a page costs
-- the rows it shows, whatever the number of applications.
CREATE INDEX planned_action_order
    ON planned_action (due, kind, application_id, contact, action_id, valid_from, valid_until);
