-- The next instant the stored plan can change by itself (a segment starts) is found by
-- index, so the web app can keep a rendered page until then.

CREATE INDEX planned_action_from ON planned_action (valid_from) WHERE valid_from IS NOT NULL;
