"""One seeker's timed status follow-ups (migration 0009): the due day and the done day of
each, replaced with the stored plan of its company (a coach's caseload reads them)."""

from __future__ import annotations

from collections.abc import Collection

from followup.adapters.postgres.owned import Owned
from followup.domain.insights import Timing


class PostgresStoredTimings(Owned):
    def replace_timings(self, app_ids: Collection[str], timings: list[Timing]) -> None:
        """Two statements in one round trip (a pipeline): the applications' rows go, the
        new ones come in as arrays (one statement, whatever their number)."""
        if not app_ids:
            return
        with self.conn.pipeline():
            self.conn.execute(
                "DELETE FROM follow_up_timing WHERE seeker_id = %s AND application_id = ANY(%s)",
                (self.seeker, list(app_ids)),
            )
            if timings:
                self.conn.execute(
                    "INSERT INTO follow_up_timing (seeker_id, application_id, touch_id, done, due)"
                    " SELECT %s, a, t, d, u"
                    " FROM unnest(%s::text[], %s::text[], %s::date[], %s::date[]) AS x(a, t, d, u)",
                    (
                        self.seeker,
                        [t.application for t in timings],
                        [t.touch for t in timings],
                        [t.done for t in timings],
                        [t.due for t in timings],
                    ),
                )

    def stored_timings(self) -> list[Timing]:
        rows = self._rows(
            "SELECT application_id, touch_id, done, due FROM follow_up_timing"
            " WHERE seeker_id = %s ORDER BY application_id, touch_id"
        )
        return [Timing(*r) for r in rows]
