"""Sharing with coaches and the coaches' reads across searches (migration 0007).

Each call is one short transaction on a connection borrowed from the web server's pool
(or, without one, on a connection of its own). The caseload's figures are read for all
of a coach's seekers at once, from the stored plan's columns (``due``, ``kind``, the
validity instants: the index ``planned_action_order``) and the stored timed follow-ups
(migration 0009), never by planning or timing anyone again.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import psycopg

from followup.adapters.postgres.owned import utc
from followup.adapters.postgres.schema import connection
from followup.adapters.postgres.stored_plan import _planned
from followup.domain.coaching import Lateness, Look, Looked, Overdue, Seeker, Share, late_among
from followup.domain.insights import Timing
from followup.domain.planner import UNDATED, anchored

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

_SHARE = (
    "SELECT s.seeker_id, sa.email, ca.email, s.created_at FROM share s"
    " JOIN account sa ON sa.id = s.seeker_id JOIN account ca ON ca.id = s.coach_id"
)
#: The seekers a coach may read: sharing with them, and enabled.
_SEEKER = (
    "SELECT a.id, a.email, coalesce((SELECT value FROM setting t"
    "  WHERE t.seeker_id = a.id AND t.key = 'timezone'), 'null'), se.changes, se.plan_version"
    " FROM share s JOIN account a ON a.id = s.seeker_id AND a.disabled_at IS NULL"
    " JOIN seeker se ON se.id = s.seeker_id WHERE s.coach_id = %s"
)
#: A stored action that applies at ``now`` and is overdue on the seeker's ``today``
#: (R20's ``withdraw`` is stored undated: due the day it is read, never overdue).
_OVERDUE = (
    "p.seeker_id = t.seeker_id AND p.due > %(undated)s AND p.due < t.today"
    " AND (p.valid_from IS NULL OR p.valid_from <= %(now)s)"
    " AND (p.valid_until IS NULL OR p.valid_until > %(now)s)"
)


class PostgresCoaching:
    def __init__(
        self, url: str, pool: ConnectionPool[psycopg.Connection[Any]] | None = None
    ) -> None:
        self.url = url
        self.pool = pool

    def _conn(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        return connection(self.url, self.pool)

    def share(self, seeker_id: int, coach_email: str, now: datetime) -> Share | None:
        with self._conn() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO share (seeker_id, coach_id, created_at)"
                " SELECT %s, id, %s FROM account"
                " WHERE email = %s AND role = 'coach' AND disabled_at IS NULL"
                " ON CONFLICT (seeker_id, coach_id) DO NOTHING",
                (seeker_id, now, coach_email),
            )
            row = conn.execute(
                _SHARE + " WHERE s.seeker_id = %s AND ca.email = %s AND ca.disabled_at IS NULL",
                (seeker_id, coach_email),
            ).fetchone()
        return _share(row) if row else None

    def unshare(self, seeker_id: int, coach_email: str) -> bool:
        with self._conn() as conn:
            done = conn.execute(
                "DELETE FROM share s USING account a"
                " WHERE s.seeker_id = %s AND a.id = s.coach_id AND a.email = %s",
                (seeker_id, coach_email),
            )
            return done.rowcount > 0

    def shares_of(self, seeker_id: int) -> list[Share]:
        with self._conn() as conn:
            rows = conn.execute(
                _SHARE + " WHERE s.seeker_id = %s ORDER BY s.created_at, ca.email", (seeker_id,)
            ).fetchall()
        return [_share(r) for r in rows]

    def seekers_of(self, coach_id: int) -> list[Seeker]:
        with self._conn() as conn:
            rows = conn.execute(_SEEKER + " ORDER BY a.email", (coach_id,)).fetchall()
        return [_seeker(r) for r in rows]

    def shared_seeker(self, coach_id: int, seeker_id: int) -> Seeker | None:
        with self._conn() as conn:
            row = conn.execute(_SEEKER + " AND s.seeker_id = %s", (coach_id, seeker_id)).fetchone()
        return _seeker(row) if row else None

    def overdue(
        self, days: dict[int, date], now: datetime, first: int, cap: int
    ) -> dict[int, Overdue]:
        if not days:
            return {}
        ids = sorted(days)
        params = {
            "ids": ids,
            "days": [days[i] for i in ids],
            "now": now,
            "undated": UNDATED,
            "first": first,
            "cap": cap,
        }
        seekers = "unnest(%(ids)s::bigint[], %(days)s::date[]) AS t(seeker_id, today)"
        with (
            self._conn() as conn,
            conn.transaction(),
        ):
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = conn.execute(
                "SELECT t.seeker_id,"
                f" (SELECT count(*) FROM (SELECT 1 FROM planned_action p WHERE {_OVERDUE}"
                "   LIMIT %(cap)s) AS c),"
                " (SELECT h.at FROM history h WHERE h.seeker_id = t.seeker_id"
                "   ORDER BY h.id DESC LIMIT 1)"
                f" FROM {seekers}",
                params,
            ).fetchall()
            firsts = conn.execute(
                "SELECT t.seeker_id, f.action_id, f.due, f.body"
                f" FROM {seekers} CROSS JOIN LATERAL ("
                "  SELECT action_id, due, body, kind, application_id, contact"
                f"  FROM planned_action p WHERE {_OVERDUE}"
                "  ORDER BY due, kind, application_id, contact NULLS FIRST, action_id"
                "  LIMIT %(first)s) AS f"
                " ORDER BY t.seeker_id, f.due, f.kind, f.application_id,"
                " f.contact NULLS FIRST, f.action_id",
                params,
            ).fetchall()
        actions: dict[int, list[Any]] = {i: [] for i in ids}
        for seeker_id, action_id, due, body in firsts:
            planned = _planned(action_id, None, None, due, body)
            actions[seeker_id].append(anchored(planned.action, days[seeker_id]))
        return {
            seeker_id: Overdue(
                seeker_id,
                days[seeker_id],
                int(count),
                tuple(actions[seeker_id]),
                utc(last) if last else None,
            )
            for seeker_id, count, last in counts
        }

    def lateness(self, since: dict[int, date]) -> dict[int, Lateness]:
        """One query: per seeker, how many of their timed follow-ups since that day had a
        due day, and the late ones (an aggregate each: ``follow_up_timing_done``)."""
        if not since:
            return {}
        ids = sorted(since)
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT t.seeker_id, count(f.due),"
                " coalesce(array_agg(f.application_id) FILTER (WHERE f.done > f.due), '{}'),"
                " coalesce(array_agg(f.touch_id) FILTER (WHERE f.done > f.due), '{}'),"
                " coalesce(array_agg(f.done) FILTER (WHERE f.done > f.due), '{}'),"
                " coalesce(array_agg(f.due) FILTER (WHERE f.done > f.due), '{}')"
                " FROM unnest(%s::bigint[], %s::date[]) AS t(seeker_id, since)"
                " LEFT JOIN follow_up_timing f ON f.seeker_id = t.seeker_id"
                "  AND f.done >= t.since AND f.due IS NOT NULL"
                " GROUP BY t.seeker_id",
                (ids, [since[i] for i in ids]),
            ).fetchall()
        return {
            int(seeker_id): late_among(
                since[seeker_id],
                int(compared),
                [Timing(*late) for late in zip(apps, touches, done, due, strict=True)],
            )
            for seeker_id, compared, apps, touches, done, due in rows
        }

    def note_looks(
        self,
        coach_id: int,
        coach_email: str,
        seeker_ids: list[int],
        what: Looked,
        now: datetime,
        keep_from: date,
    ) -> None:
        if not seeker_ids:
            return
        with self._conn() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO coach_look AS l (seeker_id, coach_id, coach_email, what, day,"
                " first_at, last_at) SELECT s, %s, %s, %s, (%s AT TIME ZONE 'UTC')::date, %s, %s"
                " FROM unnest(%s::bigint[]) AS s"
                " ON CONFLICT (seeker_id, coach_email, what, day) DO UPDATE SET"
                " times = l.times + 1, last_at = greatest(l.last_at, excluded.last_at),"
                " coach_id = excluded.coach_id",
                (coach_id, coach_email, what.value, now, now, now, sorted(set(seeker_ids))),
            )
            conn.execute(
                "DELETE FROM coach_look WHERE seeker_id = ANY(%s) AND day < %s",
                (sorted(set(seeker_ids)), keep_from),
            )

    def looks(self, seeker_id: int, limit: int) -> list[Look]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT coach_email, what, day, first_at, last_at, times FROM coach_look"
                " WHERE seeker_id = %s ORDER BY last_at DESC, coach_email, what LIMIT %s",
                (seeker_id, limit),
            ).fetchall()
        return [Look(r[0], Looked(r[1]), r[2], utc(r[3]), utc(r[4]), int(r[5])) for r in rows]


def _share(row: Any) -> Share:
    return Share(int(row[0]), row[1], row[2], utc(row[3]))


def _seeker(row: Any) -> Seeker:
    tz = json.loads(row[2]) or "UTC"
    return Seeker(int(row[0]), row[1], str(tz), int(row[3]), row[4])
