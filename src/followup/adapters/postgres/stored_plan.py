"""The stored plan of one seeker: each application's planned actions with the instants
they apply between, derived from the records (``doctor --repair`` rebuilds it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from followup.adapters.postgres.connection import run
from followup.adapters.postgres.owned import Owned, utc
from followup.domain.agenda import Line, line
from followup.domain.model import Action, Application
from followup.domain.planner import Planned, anchored
from followup.formats.plan import from_record, to_record


class PostgresStoredPlan(Owned):
    def replace_plans(
        self, plans: list[tuple[Application, list[Planned]]], exact_from: datetime
    ) -> None:
        """Replace the stored plan of each application: segments exact from ``exact_from``.

        Two statements whatever the number of rows, sent together (one round trip): the
        rows replaced, and the applications' entries upserted, each from one JSON array of
        rows (``json_to_recordset``). A statement per row cost each re-plan of a company a
        dozen executions on both sides; an array per column (``unnest``) cost the web
        server's worker more than the statements did, since psycopg turns a list into a
        PostgreSQL array in Python, element by element, where ``json.dumps`` writes the
        whole list in C (measured under ``make bench``'s server load: the eight arrays
        were about 5% of a worker's CPU time).

        Only the rows that changed are written (:data:`_REPLACE`): a re-plan of a company
        after a change to one of its applications gives most of its rows again as they
        were, and deleting and inserting each of them cost PostgreSQL most of a write's
        time (a heap row, its five index entries and its reference check, each time)."""
        if not plans:
            return
        s = self.seeker
        rows = [
            {"a": app.id, "i": p.action.id, "f": _instant(p.valid_from),
             "u": _instant(p.valid_until), "d": p.action.due.isoformat(),
             "b": json.dumps(to_record(p.action), separators=(",", ":")),
             "k": p.action.kind.value, "c": p.action.contact}
            for app, planned in plans
            for p in planned
        ]  # fmt: skip
        entries = [{"a": app.id, "o": app.is_open, "d": _day(app.added_on)} for app, _ in plans]
        with self.conn.pipeline():
            self.conn.execute(
                _REPLACE, {"s": s, "ids": [app.id for app, _ in plans], "rows": _json(rows)}
            )
            self.conn.execute(
                "INSERT INTO plan_application (seeker_id, application_id, is_open, added_on,"
                " exact_from) SELECT %s, a, o, d, %s"
                " FROM json_to_recordset(%s::json) AS x(a text, o boolean, d date)"
                " ON CONFLICT (seeker_id, application_id) DO UPDATE SET"
                " is_open = excluded.is_open, added_on = excluded.added_on,"
                " exact_from = excluded.exact_from",
                (s, exact_from, _json(entries)),
            )

    def stale(self, now: datetime) -> set[str]:
        sql = "SELECT application_id FROM plan_application WHERE seeker_id = %s AND exact_from > %s"
        return {r[0] for r in self._rows(sql, now)}

    def exact_from(self, app_ids: Iterable[str]) -> dict[str, datetime]:
        sql = (
            "SELECT application_id, exact_from FROM plan_application"
            " WHERE seeker_id = %s AND application_id = ANY(%s)"
        )
        return {r[0]: utc(r[1]) for r in self._rows(sql, list(app_ids))}

    def planned(self, app_id: str) -> list[Planned]:
        """The stored rows as ``due`` reads them: the indexed columns win over the body."""
        rows = self._rows(
            "SELECT action_id, valid_from, valid_until, due, body FROM planned_action"
            " WHERE seeker_id = %s AND application_id = %s",
            app_id,
        )
        return [_planned(*r) for r in rows]

    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        found: dict[str, list[Planned]] = defaultdict(list)
        rows = self._rows(
            "SELECT application_id, action_id, valid_from, valid_until, due, body"
            " FROM planned_action WHERE seeker_id = %s AND application_id = ANY(%s)",
            list(app_ids),
        )
        for app_id, *rest in rows:
            found[app_id].append(_planned(*rest))
        return dict(found)

    def due(self, now: datetime, last_day: date) -> list[Action]:
        """Two indexed reads, as in the local store: current rows by due date, and the few
        rows that end in the future."""
        rows = self.conn.execute(
            "SELECT body FROM planned_action WHERE seeker_id = %(s)s"
            " AND valid_until IS NULL AND due <= %(last)s"
            " AND (valid_from IS NULL OR valid_from <= %(now)s)"
            " UNION ALL "
            "SELECT body FROM planned_action WHERE seeker_id = %(s)s"
            " AND valid_until IS NOT NULL AND valid_until > %(now)s AND due <= %(last)s"
            " AND (valid_from IS NULL OR valid_from <= %(now)s)",
            {"s": self.seeker, "now": now, "last": last_day},
        )
        return [from_record(json.loads(body)) for (body,) in rows]

    def next_actions(self, app_ids: Iterable[str], now: datetime, today: date) -> dict[str, Action]:
        """One row per application (``DISTINCT ON``), the first of its current rows in
        FORMAT.md's order (kind and contact from their columns, migration 0006); only
        those bodies are decoded."""
        rows = self.conn.execute(
            "SELECT DISTINCT ON (application_id) application_id, action_id, due, body"
            " FROM planned_action WHERE seeker_id = %(s)s AND application_id = ANY(%(ids)s)"
            " AND (valid_from IS NULL OR valid_from <= %(now)s)"
            " AND (valid_until IS NULL OR valid_until > %(now)s)"
            " ORDER BY application_id,"
            " CASE WHEN kind = 'withdraw' THEN %(today)s ELSE due END, kind,"
            " coalesce(contact, ''), action_id",
            {"s": self.seeker, "ids": list(app_ids), "now": now, "today": today},
        )
        return {
            app_id: anchored(_planned(action_id, None, None, due, body).action, today)
            for app_id, action_id, due, body in rows
        }

    def due_in_order(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
        lines: bool = False,
        ordered: bool = True,
    ) -> Iterator[Action]:
        """The index ``planned_action_order`` walked in FORMAT.md's order (no contact
        first, as the local store sorts it): rows that do not apply at ``now`` are passed
        over, only the page's rows are read, and decoded as the iterator is consumed.
        Always in order (``ordered`` is a hint: PostgreSQL reads a seeker's rows as fast
        through the index)."""
        for body in self._due_bodies(now, first, last, limit, offset, skip):
            action = from_record(json.loads(body))
            if lines:  # what a list line shows (the body holds it all)
                action = replace(action, script=(), steps=(), contact_application=None)
            yield action

    def due_lines(
        self, now: datetime, first: date, last: date, *, skip: Collection[str] = ()
    ) -> Iterator[Line]:
        """:meth:`due_in_order`'s lines, as the calendar's tuples."""
        return map(line, self.due_in_order(now, first, last, skip=skip, lines=True, ordered=False))

    def due_records(
        self,
        now: datetime,
        first: date,
        last: date,
        *,
        limit: int | None = None,
        offset: int = 0,
        skip: Collection[str] = (),
    ) -> Iterator[dict[str, Any]]:
        """:meth:`due_in_order`'s rows as stored, no ``Action`` built (a page of cards)."""
        for body in self._due_bodies(now, first, last, limit, offset, skip):
            record: dict[str, Any] = json.loads(body)
            yield record

    def _due_bodies(
        self,
        now: datetime,
        first: date,
        last: date,
        limit: int | None,
        offset: int,
        skip: Collection[str],
    ) -> Iterator[str]:
        """The stored bodies of :meth:`due_in_order` and :meth:`due_records`, one query."""
        where, params = self._due_where(now, first, last, skip)
        rows = self.conn.execute(
            f"SELECT body FROM planned_action WHERE {where}"
            " ORDER BY due, kind, application_id, contact NULLS FIRST, action_id"
            " LIMIT %(limit)s OFFSET %(offset)s",
            {**params, "limit": limit, "offset": offset},
        )
        # A read-only transaction that walked a range whole (a page asked for more rows
        # than there were) knows its count: ``count_due`` of it needs no query.
        walked_whole = limit is not None and offset == 0 and 0 <= rows.rowcount < limit
        if self._memo is not None and walked_whole:  # (the result is all in memory)
            self._memo[("due", now, first, last, frozenset(skip))] = rows.rowcount
        for (body,) in rows:
            yield body

    def count_due(
        self, now: datetime, first: date, last: date, cap: int, skip: Collection[str] = ()
    ) -> int:
        """Counted no further than ``cap``; a range this read walked whole is known."""
        if self._memo is not None:
            known = self._memo.get(("due", now, first, last, frozenset(skip)))
            if known is not None:
                return min(int(known), cap)
        where, params = self._due_where(now, first, last, skip)
        row = self.conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM planned_action WHERE {where} LIMIT %(cap)s) AS o",
            {**params, "cap": cap},
        ).fetchone()
        return int(row[0]) if row else 0

    def due_pages(
        self,
        now: datetime,
        ranges: Sequence[tuple[date, date]],
        limit: int,
        cap: int,
        skip: Collection[str] = (),
    ) -> list[tuple[list[dict[str, Any]], int]]:
        """Every range's page and count in one statement (:data:`_PAGES`): the Today page
        asked for four pages and two counts, a statement each, and each statement cost the
        web server's worker more than its rows did (measured under ``make bench``'s server
        load). A range whose page is not full was walked whole: its count is the page's."""
        if not ranges:
            return []
        rows = run(
            self.conn,
            _PAGES,
            {
                "s": self.seeker,
                "now": now,
                "skip": sorted(skip),
                "firsts": [first for first, _ in ranges],
                "lasts": [last for _, last in ranges],
                "limit": limit,
                "cap": cap,
            },
        ).fetchall()
        pages = []
        for (first, last), (bodies, total) in zip(ranges, rows, strict=True):
            records = [json.loads(body) for body in bodies or ()]
            if self._memo is not None and len(records) < limit:  # walked whole: as above
                self._memo[("due", now, first, last, frozenset(skip))] = len(records)
            pages.append((records, min(int(total), cap)))
        return pages

    def _due_where(
        self, now: datetime, first: date, last: date, skip: Collection[str]
    ) -> tuple[str, dict[str, object]]:
        """The seeker's rows due in ``[first, last]`` that apply at ``now``, but those of
        the applications in ``skip`` (one array parameter, whatever its size)."""
        where = (
            "seeker_id = %(s)s AND due >= %(first)s AND due <= %(last)s"
            " AND (valid_from IS NULL OR valid_from <= %(now)s)"
            " AND (valid_until IS NULL OR valid_until > %(now)s)"
            " AND NOT (application_id = ANY(%(skip)s))"
        )
        params = {"s": self.seeker, "first": first, "last": last, "now": now, "skip": sorted(skip)}
        return where, params

    def find_planned(self, action_id: str, now: datetime) -> Action | None:
        app_id = action_id.split(":")[1] if ":" in action_id else ""
        row = self._one(
            "SELECT body FROM planned_action WHERE seeker_id = %s AND application_id = %s"
            " AND action_id = %s AND (valid_from IS NULL OR valid_from <= %s)"
            " AND (valid_until IS NULL OR valid_until > %s)",
            app_id,
            action_id,
            now,
            now,
        )
        return from_record(json.loads(row[0])) if row else None

    def open_count(self, cap: int) -> int:
        """Counted no further than ``cap``. In a read-only transaction, R9's other facts
        are read with it (the reader asks for all three together): ``last_added`` and
        ``any_accepted`` then need no query of their own."""
        if self._memo is None:
            (count,) = self._one(
                "SELECT count(*) FROM (SELECT 1 FROM plan_application"
                " WHERE seeker_id = %s AND is_open LIMIT %s) AS o",
                cap,
            )
            return int(count)
        count, self._memo["last_added"], self._memo["any_accepted"] = run(
            self.conn,
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM plan_application"
            "   WHERE seeker_id = %(s)s AND is_open LIMIT %(cap)s) AS o),"
            " (SELECT max(added_on) FROM plan_application WHERE seeker_id = %(s)s),"
            " EXISTS (SELECT 1 FROM application WHERE seeker_id = %(s)s"
            "   AND status = 'accepted')",
            {"s": self.seeker, "cap": cap},
        ).fetchone() or (0, None, False)
        return int(count)

    def last_added(self) -> date | None:
        if self._memo is not None and "last_added" in self._memo:
            return self._memo["last_added"]  # type: ignore[no-any-return]
        (value,) = self._one("SELECT max(added_on) FROM plan_application WHERE seeker_id = %s")
        return value  # type: ignore[no-any-return]

    def next_change(self, now: datetime) -> datetime | None:
        row = run(
            self.conn,
            "SELECT least("
            " (SELECT min(valid_until) FROM planned_action"
            "   WHERE seeker_id = %(s)s AND valid_until > %(now)s),"
            " (SELECT min(valid_from) FROM planned_action"
            "   WHERE seeker_id = %(s)s AND valid_from > %(now)s),"
            " (SELECT min(exact_from) FROM plan_application"
            "   WHERE seeker_id = %(s)s AND exact_from > %(now)s))",
            {"s": self.seeker, "now": now},
        ).fetchone()
        return utc(row[0]) if row and row[0] is not None else None

    def plan_version(self) -> str | None:
        row = self._one("SELECT plan_version FROM seeker WHERE id = %s")
        return row[0] if row else None

    def set_plan_version(self, version: str) -> None:
        self.conn.execute(
            "UPDATE seeker SET plan_version = %s WHERE id = %s", (version, self.seeker)
        )

    def integrity_problems(self) -> list[str]:
        """PostgreSQL checks every reference at each statement and has no whole-database
        check a seeker may run (``amcheck`` is the administrator's); what can still go
        wrong across tables is a stored plan row without its application's plan entry."""
        rows = self._rows(
            "SELECT DISTINCT a.application_id FROM planned_action AS a"
            " LEFT JOIN plan_application AS p"
            "   ON p.seeker_id = a.seeker_id AND p.application_id = a.application_id"
            " WHERE a.seeker_id = %s AND p.application_id IS NULL ORDER BY 1"
        )
        return [f"planned_action of {r[0]}: missing plan_application row" for r in rows]


#: A stored row and a new one are the same row: every column equal.
_SAME = (
    "n.a = p.application_id AND n.i = p.action_id AND n.d = p.due AND n.b = p.body"
    " AND n.f IS NOT DISTINCT FROM p.valid_from AND n.u IS NOT DISTINCT FROM p.valid_until"
    " AND n.k IS NOT DISTINCT FROM p.kind AND n.c IS NOT DISTINCT FROM p.contact"
)
#: :meth:`PostgresStoredPlan.replace_plans`' rows: the stored rows of the applications
#: that are not among the new ones are deleted, and the new rows not already stored are
#: inserted (the insert sees the rows as they were before the delete, in one snapshot: a
#: row kept is neither deleted nor inserted again).
_REPLACE = (
    "WITH new AS MATERIALIZED (SELECT * FROM json_to_recordset(%(rows)s::json)"
    "  AS x(a text, i text, f timestamptz, u timestamptz, d date, b text, k text, c text)),"
    " gone AS (DELETE FROM planned_action p"
    "  WHERE p.seeker_id = %(s)s AND p.application_id = ANY(%(ids)s)"
    f"  AND NOT EXISTS (SELECT FROM new n WHERE {_SAME}))"
    " INSERT INTO planned_action (seeker_id, application_id, action_id, valid_from,"
    "  valid_until, due, body, kind, contact)"
    " SELECT %(s)s, n.a, n.i, n.f, n.u, n.d, n.b, n.k, n.c FROM new n WHERE NOT EXISTS"
    f"  (SELECT FROM planned_action p WHERE p.seeker_id = %(s)s AND {_SAME})"
)
#: :meth:`PostgresStoredPlan.due_pages`: for each range (in the order given), its page
#: of bodies walked in ``planned_action_order`` as :meth:`~PostgresStoredPlan._due_bodies`
#: walks it (``ARRAY(...)`` keeps the subquery's order), and its count up to the cap,
#: counted only when the page is full.
_RANGE = (
    "p.seeker_id = %(s)s AND p.due >= r.first AND p.due <= r.last"
    " AND (p.valid_from IS NULL OR p.valid_from <= %(now)s)"
    " AND (p.valid_until IS NULL OR p.valid_until > %(now)s)"
    " AND NOT (p.application_id = ANY(%(skip)s))"
)
_ORDER = "due, kind, application_id, contact NULLS FIRST, action_id"
_PAGES = (
    "SELECT page.bodies, CASE WHEN cardinality(page.bodies) < %(limit)s"
    "  THEN cardinality(page.bodies)"
    f"  ELSE (SELECT count(*) FROM (SELECT 1 FROM planned_action p WHERE {_RANGE}"
    "   LIMIT %(cap)s) AS o) END"
    " FROM unnest(%(firsts)s::date[], %(lasts)s::date[]) WITH ORDINALITY AS r(first, last, n)"
    f" CROSS JOIN LATERAL (SELECT ARRAY(SELECT body FROM planned_action p WHERE {_RANGE}"
    f"  ORDER BY {_ORDER} LIMIT %(limit)s) AS bodies OFFSET 0) AS page"
    " ORDER BY r.n"
)


def _planned(
    action_id: str, start: datetime | None, end: datetime | None, due: date, body: str
) -> Planned:
    return Planned(
        replace(from_record(json.loads(body)), id=action_id, due=due),
        utc(start) if start else None,
        utc(end) if end else None,
    )


def _instant(value: datetime | None) -> str | None:
    """An instant as PostgreSQL reads it back exactly (ISO 8601, its offset, microseconds)."""
    return None if value is None else value.isoformat()


def _json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
