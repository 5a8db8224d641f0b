"""Sharing with coaches and the coaches' reads across searches (migration 0007).

Each call is one short transaction on a connection borrowed from the web server's pool
(or, without one, on a connection of its own). A look at a caseload is two statements
whatever the number of seekers: the seekers with their looks logged, then every figure
of all of them, from the stored plan's columns (``due``, ``kind``, the validity instants,
all in the index ``planned_action_order`` since migration 0010) and the stored timed
follow-ups (migration 0009), never by planning or timing anyone again.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg

from followup.adapters.postgres.owned import utc
from followup.adapters.postgres.schema import connection
from followup.domain.coaching import (
    Lateness,
    Look,
    Looked,
    Overdue,
    OverdueAction,
    Seeker,
    Share,
    late_among,
)
from followup.domain.insights import Timing
from followup.domain.model import ActionKind
from followup.domain.planner import UNDATED

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
    " JOIN seeker se ON se.id = s.seeker_id WHERE s.coach_id = %(coach)s"
)
#: A look of a coach at seekers (``_LOG`` then the seeker ids then ``_LOOK`` selected, in
#: the order of the ids, so that two looks at once lock the same rows in the same order,
#: then ``_LOGGED``): one row per seeker, coach, what and UTC day, counted. A row this
#: look began (``made``: counted once) means a new day's first look, the time to forget
#: the seeker's rows of days before ``keep_from`` (``_FORGET``): any later look that day
#: would forget nothing more.
_LOG = (
    "INSERT INTO coach_look AS l (seeker_id, coach_id, coach_email, what, day, first_at, last_at)"
)
_LOOK = "%(coach)s, %(email)s, %(what)s, (%(now)s AT TIME ZONE 'UTC')::date, %(now)s, %(now)s"
_LOGGED = (
    " ON CONFLICT (seeker_id, coach_email, what, day) DO UPDATE SET"
    " times = l.times + 1, last_at = greatest(l.last_at, excluded.last_at),"
    " coach_id = excluded.coach_id RETURNING l.seeker_id, l.times = 1 AS made"
)
_FORGET = (
    "DELETE FROM coach_look o WHERE o.seeker_id IN (SELECT seeker_id FROM logged WHERE made)"
    " AND o.day < %(keep_from)s"
)
#: A stored action that applies at ``now`` and is overdue on the seeker's ``today``
#: (R20's ``withdraw`` is stored undated: due the day it is read, never overdue). The
#: validity instants are in the index (migration 0010): counting reads no table row.
_OVERDUE = (
    "p.seeker_id = t.seeker_id AND p.due > %(undated)s AND p.due < t.today"
    " AND (p.valid_from IS NULL OR p.valid_from <= %(now)s)"
    " AND (p.valid_until IS NULL OR p.valid_until > %(now)s)"
)
#: FORMAT.md's order of the stored plan (the index ``planned_action_order``).
_ORDER = "due, kind, application_id, contact NULLS FIRST, action_id"
#: Each seeker's caseload figures, one row each: the overdue count (up to ``cap``), the
#: last activity, the ``first`` most overdue actions (parallel arrays, in order), and the
#: timed follow-ups done in the ``late`` days before their today that had a due day:
#: how many, and the late ones (parallel arrays). One statement: one snapshot.
_FIGURES = (
    "SELECT t.seeker_id,"
    f" (SELECT count(*) FROM (SELECT FROM planned_action p WHERE {_OVERDUE}"
    "   LIMIT %(cap)s) AS c),"
    " (SELECT h.at FROM history h WHERE h.seeker_id = t.seeker_id ORDER BY h.id DESC LIMIT 1),"
    " f.ids, f.kinds, f.dues, f.bodies, l.compared, l.apps, l.touches, l.done, l.due"
    " FROM unnest(%(ids)s::bigint[], %(days)s::date[]) AS t(seeker_id, today)"
    " CROSS JOIN LATERAL (SELECT"
    f"  array_agg(x.action_id ORDER BY {_ORDER}) AS ids,"
    f"  array_agg(x.kind ORDER BY {_ORDER}) AS kinds,"
    f"  array_agg(x.due ORDER BY {_ORDER}) AS dues,"
    f"  array_agg(x.body ORDER BY {_ORDER}) AS bodies"
    "  FROM (SELECT action_id, kind, due, body, application_id, contact"
    f"   FROM planned_action p WHERE {_OVERDUE}"
    f"   ORDER BY {_ORDER} LIMIT %(first)s) AS x) AS f"
    " CROSS JOIN LATERAL (SELECT count(*) AS compared,"
    "  array_agg(g.application_id) FILTER (WHERE g.done > g.due) AS apps,"
    "  array_agg(g.touch_id) FILTER (WHERE g.done > g.due) AS touches,"
    "  array_agg(g.done) FILTER (WHERE g.done > g.due) AS done,"
    "  array_agg(g.due) FILTER (WHERE g.done > g.due) AS due"
    "  FROM follow_up_timing g WHERE g.seeker_id = t.seeker_id"
    "  AND g.done >= t.today - %(late)s::integer AND g.due IS NOT NULL) AS l"
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

    def look_at_caseload(
        self, coach_id: int, coach_email: str, now: datetime, keep_from: date
    ) -> list[Seeker]:
        """One statement: the seekers (:data:`_SEEKER`), their looks logged (:data:`_LOG`)
        and, where a look began a new day's row, their rows before ``keep_from`` gone."""
        with self._conn() as conn:
            rows = conn.execute(
                f"WITH s AS ({_SEEKER}),"
                f" logged AS ({_LOG} SELECT s.id, {_LOOK} FROM s ORDER BY s.id {_LOGGED}),"
                f" gone AS ({_FORGET})"
                " SELECT * FROM s ORDER BY 2",
                {
                    "coach": coach_id,
                    "email": coach_email,
                    "what": Looked.CASELOAD.value,
                    "now": now,
                    "keep_from": keep_from,
                },
            ).fetchall()
        return [_seeker(r) for r in rows]

    def shared_seeker(self, coach_id: int, seeker_id: int) -> Seeker | None:
        with self._conn() as conn:
            row = conn.execute(
                _SEEKER + " AND s.seeker_id = %(seeker)s", {"coach": coach_id, "seeker": seeker_id}
            ).fetchone()
        return _seeker(row) if row else None

    def caseload_figures(
        self, days: dict[int, date], now: datetime, first: int, cap: int, late_days: int
    ) -> dict[int, tuple[Overdue, Lateness]]:
        """One statement for every seeker (:data:`_FIGURES`), read in binary (no array
        literal to parse)."""
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
            "late": late_days,
        }
        with self._conn() as conn, conn.cursor(binary=True) as cursor:
            rows = cursor.execute(_FIGURES, params).fetchall()
        found = {}
        for seeker_id, count, last, *firsts, compared, apps, touches, done, due in rows:
            today = days[seeker_id]
            shown = zip(*(column or () for column in firsts), strict=True)
            overdue = Overdue(
                seeker_id,
                today,
                count,
                tuple(_overdue_action(*action) for action in shown),
                utc(last) if last else None,
            )
            timed = zip(apps or (), touches or (), done or (), due or (), strict=True)
            late = [Timing(*t) for t in timed]
            since = today - timedelta(days=late_days)
            found[seeker_id] = (overdue, late_among(since, compared, late))
        return found

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
        with self._conn() as conn:
            conn.execute(
                f"WITH logged AS ({_LOG} SELECT s, {_LOOK}"
                f"  FROM unnest(%(ids)s::bigint[]) AS s ORDER BY s {_LOGGED})"
                f" {_FORGET}",
                {
                    "coach": coach_id,
                    "email": coach_email,
                    "what": what.value,
                    "now": now,
                    "keep_from": keep_from,
                    "ids": sorted(set(seeker_ids)),
                },
            )

    def looks(self, seeker_id: int, limit: int) -> list[Look]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT coach_email, what, day, first_at, last_at, times FROM coach_look"
                " WHERE seeker_id = %s ORDER BY day DESC, last_at DESC, coach_email, what"
                " LIMIT %s",
                (seeker_id, limit),
            ).fetchall()
        return [Look(r[0], Looked(r[1]), r[2], utc(r[3]), utc(r[4]), int(r[5])) for r in rows]


def _share(row: Any) -> Share:
    return Share(int(row[0]), row[1], row[2], utc(row[3]))


def _overdue_action(action_id: str, kind: str, due: date, body: str) -> OverdueAction:
    """What the caseload shows of an action: its id, kind and due day from the columns
    (which win over the body, as the stored plan reads them), the names from the body."""
    record = json.loads(body)
    return OverdueAction(
        action_id, ActionKind(kind), due, record["company"], record["contact_name"]
    )


def _seeker(row: Any) -> Seeker:
    tz = json.loads(row[2]) or "UTC"
    return Seeker(int(row[0]), row[1], str(tz), int(row[3]), row[4])
