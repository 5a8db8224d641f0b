"""One seeker's timed status follow-ups (migration 0009): the due day and the done day of
each, replaced with the stored plan of its company (a coach's caseload reads them)."""

from __future__ import annotations

from collections.abc import Collection

from followup.adapters.postgres.owned import Owned
from followup.domain.insights import Timing


class PostgresStoredTimings(Owned):
    def replace_timings(self, app_ids: Collection[str], timings: list[Timing]) -> None:
        """One statement: the rows of these applications that are no longer timed go, the
        others are inserted or updated, and a row that did not change is not written (a
        write that changed no follow-up, the most common, rewrites nothing here)."""
        if not app_ids:
            return
        self.conn.execute(
            "WITH new AS (SELECT * FROM unnest(%(apps)s::text[], %(touches)s::text[],"
            "  %(done)s::date[], %(due)s::date[]) AS x(application_id, touch_id, done, due)),"
            " gone AS (DELETE FROM follow_up_timing f WHERE f.seeker_id = %(s)s"
            "  AND f.application_id = ANY(%(ids)s) AND NOT EXISTS (SELECT 1 FROM new"
            "   WHERE new.application_id = f.application_id AND new.touch_id = f.touch_id))"
            " INSERT INTO follow_up_timing (seeker_id, application_id, touch_id, done, due)"
            " SELECT %(s)s, application_id, touch_id, done, due FROM new"
            " ON CONFLICT (seeker_id, application_id, touch_id) DO UPDATE"
            " SET done = excluded.done, due = excluded.due"
            " WHERE (follow_up_timing.done, follow_up_timing.due)"
            "  IS DISTINCT FROM (excluded.done, excluded.due)",
            {
                "s": self.seeker,
                "ids": list(app_ids),
                "apps": [t.application for t in timings],
                "touches": [t.touch for t in timings],
                "done": [t.done for t in timings],
                "due": [t.due for t in timings],
            },
        )

    def stored_timings(self) -> list[Timing]:
        rows = self._rows(
            "SELECT application_id, touch_id, done, due FROM follow_up_timing"
            " WHERE seeker_id = %s ORDER BY application_id, touch_id"
        )
        return [Timing(*r) for r in rows]
