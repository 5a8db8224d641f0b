"""The stored plan: each application's planned actions with the instants they apply
between, derived from the records (``doctor --repair`` rebuilds it)."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from followup.adapters.sqlite.batched import BATCH, Batched
from followup.adapters.sqlite.columns import day_of, iso_day, ts
from followup.domain.model import WEEKDAYS, Action, ActionKind, Application, Channel, ContactWindow
from followup.domain.reading import Planned, anchored
from followup.domain.words import clock, weekday_codes
from followup.formats.plan import from_record, to_record

if TYPE_CHECKING:
    from followup.domain.agenda import Line


class SqliteStoredPlan(Batched):
    """Mixed into the repository; works on its connection."""

    def replace_plans(
        self, plans: list[tuple[Application, list[Planned]]], exact_from: datetime
    ) -> None:
        """Replace the stored plan of each application: segments exact from ``exact_from``.

        Each action's JSON is made once, by orjson (``json.dumps`` was most of the cost of
        storing an import's plan), and all rows go in one ``executemany``.
        """
        import orjson  # noqa: PLC0415 - only writes need it

        c = self.conn
        self._delete("planned_action", [app.id for app, _ in plans])
        c.executemany(
            "INSERT INTO planned_action (application_id, action_id, valid_from, valid_until,"
            f" due, body, {_LINE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?{', ?' * _LINE_WIDTH})",
            [
                (
                    app.id,
                    p.action.id,
                    ts(p.valid_from) if p.valid_from else None,
                    ts(p.valid_until) if p.valid_until else None,
                    p.action.due.isoformat(),
                    orjson.dumps(to_record(p.action)).decode(),
                    *_line_values(p.action),
                )
                for app, planned in plans
                for p in planned
            ],
        )
        since = ts(exact_from)
        c.executemany(
            "INSERT INTO plan_application (application_id, is_open, added_on, exact_from)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (application_id) DO UPDATE SET"
            " is_open = excluded.is_open, added_on = excluded.added_on,"
            " exact_from = excluded.exact_from",
            [(app.id, int(app.is_open), iso_day(app.added_on), since) for app, _ in plans],
        )

    def stale(self, now: datetime) -> set[str]:
        sql = "SELECT application_id FROM plan_application WHERE exact_from > ?"
        return {r[0] for r in self.conn.execute(sql, (ts(now),))}

    def exact_from(self, app_ids: Iterable[str]) -> dict[str, datetime]:
        sql = (
            "SELECT application_id, exact_from FROM plan_application"
            " WHERE application_id IN ({marks})"
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in self._in(sql, app_ids)}

    def planned(self, app_id: str) -> list[Planned]:
        """The stored rows as ``due`` reads them: the indexed columns win over the body."""
        return [
            _planned(action_id, start, end, due, body)
            for action_id, start, end, due, body in self.conn.execute(
                "SELECT action_id, valid_from, valid_until, due, body FROM planned_action"
                " WHERE application_id = ?",
                (app_id,),
            )
        ]

    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        found: dict[str, list[Planned]] = defaultdict(list)
        sql = (
            "SELECT application_id, action_id, valid_from, valid_until, due, body"
            " FROM planned_action WHERE application_id IN ({marks})"
        )
        for app_id, action_id, start, end, due, body in self._in(sql, app_ids):
            found[app_id].append(_planned(action_id, start, end, due, body))
        return dict(found)

    def due(self, now: datetime, last_day: date) -> list[Action]:
        at, last = ts(now), last_day.isoformat()
        rows = self.conn.execute(
            "SELECT body FROM planned_action"
            " WHERE valid_until IS NULL AND due <= :last"
            " AND (valid_from IS NULL OR valid_from <= :now)"
            " UNION ALL "
            "SELECT body FROM planned_action"
            " WHERE valid_until IS NOT NULL AND valid_until > :now AND due <= :last"
            " AND (valid_from IS NULL OR valid_from <= :now)",
            {"now": at, "last": last},
        )
        return [from_record(json.loads(body)) for (body,) in rows]

    def next_actions(self, app_ids: Iterable[str], now: datetime, today: date) -> dict[str, Action]:
        """One row per application, picked by a window over its current rows (the
        ``planned_action_application`` index finds them); only those bodies are decoded.
        The window orders by the row's columns (migration 0011), not by its JSON (issue 12:
        two ``json_extract`` a row were a fifth of the Applications page afresh)."""
        at, ids = ts(now), list(app_ids)
        found = {}
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = self.conn.execute(
                "SELECT application_id, action_id, due, body FROM ("
                " SELECT application_id, action_id, due, body, row_number() OVER ("
                "  PARTITION BY application_id ORDER BY"
                "  CASE WHEN kind = 'withdraw' THEN ? ELSE due END, kind, coalesce(contact, ''),"
                "  action_id) AS n"
                f" FROM planned_action WHERE application_id IN ({','.join('?' * len(chunk))})"
                " AND (valid_from IS NULL OR valid_from <= ?)"
                " AND (valid_until IS NULL OR valid_until > ?)"
                ") WHERE n = 1",
                [today.isoformat(), *chunk, at, at],
            )
            for app_id, action_id, due, body in rows:
                found[app_id] = anchored(_planned(action_id, None, None, due, body).action, today)
        return found

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
        """The index ``planned_action_order`` walked in FORMAT.md's order: rows that do not
        apply at ``now`` are skipped inside the index, and only the rows shown are read.

        ``ordered=False``: the table read in its own order. Walking the index reads each
        row's page at random, through a page cache of 2 MB: the 150,000 rows of a
        backlog's calendar were 230,000 page reads, where the table holds 90,000 pages
        (issue 12)."""
        if not ordered:
            where, params = _due_where(now, first, last, skip)
            rows = self.conn.execute(
                f"SELECT {_LINE_READ if lines else 'body'} FROM planned_action NOT INDEXED"
                f" WHERE {where} LIMIT :limit OFFSET :offset",
                {**params, "limit": -1 if limit is None else limit, "offset": offset},
            )
            if lines:
                return (_line(*row) for row in rows)
            import orjson  # noqa: PLC0415 - as in ``due_records``

            return (from_record(orjson.loads(body)) for (body,) in rows)
        if lines:
            rows = self._in_order(_LINE_READ, now, first, last, limit, offset, skip)
            return (_line(*row) for row in rows)
        return map(
            from_record, self.due_records(now, first, last, limit=limit, offset=offset, skip=skip)
        )

    def due_lines(
        self, now: datetime, first: date, last: date, *, skip: Collection[str] = ()
    ) -> Iterator[Line]:
        """The table read in its own order, as :meth:`due_in_order` reads it for the
        calendar, each row made a :class:`~followup.domain.agenda.Line` from its columns."""
        from followup.domain.agenda import Line  # noqa: PLC0415 - the calendar's only

        where, params = _due_where(now, first, last, skip)
        rows = self.conn.execute(
            f"SELECT {_CALENDAR_READ} FROM planned_action NOT INDEXED WHERE {where}", params
        )
        # Kinds, channels and windows looked up as :func:`_line` does.
        day, kinds, channels = date.fromisoformat, _KINDS, _CHANNELS
        for (
            action_id, due, kind, rule, reason, application, company, position, contact_name,
            channel, days, start, end,
        ) in rows:  # fmt: skip
            yield Line(
                action_id, day(due), kinds[kind], rule, reason, application, company, position,
                contact_name, channels[channel] if channel else None,
                None if days is None else _window(days, start, end),
            )  # fmt: skip

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
        """:meth:`due_in_order`'s actions as stored (``formats.plan.to_record``), no
        ``Action`` built: what a page of cards reads (issue 12: building an action was a
        third of a card's cost)."""
        import orjson  # noqa: PLC0415 - not on the command line's path (it reads lines)

        # orjson parses an action's body in a third of json's time (Today's cards, issue 12).
        rows = self._in_order("body", now, first, last, limit, offset, skip)
        return (orjson.loads(body) for (body,) in rows)

    def _in_order(
        self,
        columns: str,
        now: datetime,
        first: date,
        last: date,
        limit: int | None,
        offset: int,
        skip: Collection[str],
    ) -> sqlite3.Cursor:
        where, params = _due_where(now, first, last, skip)
        return self.conn.execute(
            f"SELECT {columns} FROM planned_action INDEXED BY planned_action_order"
            f" WHERE {where} ORDER BY due, kind, application_id, contact, action_id"
            " LIMIT :limit OFFSET :offset",
            {**params, "limit": -1 if limit is None else limit, "offset": offset},
        )

    def count_due(
        self, now: datetime, first: date, last: date, cap: int, skip: Collection[str] = ()
    ) -> int:
        where, params = _due_where(now, first, last, skip)
        (count,) = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM planned_action INDEXED BY planned_action_order"
            f" WHERE {where} LIMIT :cap) AS o",
            {**params, "cap": cap},
        ).fetchone()
        return int(count)

    def due_pages(
        self,
        now: datetime,
        ranges: Sequence[tuple[date, date]],
        limit: int,
        cap: int,
        skip: Collection[str] = (),
    ) -> list[tuple[list[dict[str, Any]], int]]:
        """Two statements whatever the number of ranges: the pages of all of them (one
        ``UNION ALL`` of the queries of :meth:`due_records`, each row tagged with its
        range), then their counts (one row of the queries of :meth:`count_due`).

        Today's three sections are four ranges: eight statements made two cost a Today
        page afresh a tenth of its time (issue 12: each statement is bound, run and
        stepped from Python)."""
        import orjson  # noqa: PLC0415 - as in ``due_records``

        if not ranges:
            return []
        pages, counts = _pages_sql(len(ranges), bool(skip))
        params: dict[str, object] = {"now": ts(now), "limit": limit, "cap": cap}
        if skip:
            params["skip"] = json.dumps(sorted(skip))
        for n, (first, last) in enumerate(ranges):
            params[f"first{n}"], params[f"last{n}"] = first.isoformat(), last.isoformat()
        found: list[tuple[list[dict[str, Any]], int]] = [([], 0) for _ in ranges]
        for n, body in self.conn.execute(pages, params):
            found[n][0].append(orjson.loads(body))
        totals = self.conn.execute(counts, params).fetchone()
        return [(records, int(total)) for (records, _), total in zip(found, totals, strict=True)]

    def find_planned(self, action_id: str, now: datetime) -> Action | None:
        at = ts(now)
        app_id = action_id.split(":")[1] if action_id.count(":") >= 1 else ""
        row = self.conn.execute(
            "SELECT body FROM planned_action WHERE application_id = ? AND action_id = ?"
            " AND (valid_from IS NULL OR valid_from <= ?)"
            " AND (valid_until IS NULL OR valid_until > ?)",
            (app_id, action_id, at, at),
        ).fetchone()
        return from_record(json.loads(row[0])) if row else None

    def open_count(self, cap: int) -> int:
        """Counted no further than ``cap``. In a read, R9's other facts are read with it
        (the plan's reader asks for the three together): ``last_added`` and
        ``any_accepted`` then need no statement of their own."""
        if self._memo is None:
            (count,) = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM plan_application WHERE is_open = 1"
                " LIMIT ?) AS o",
                (cap,),
            ).fetchone()
            return int(count)
        count, self._memo["last_added"], self._memo["any_accepted"] = self.conn.execute(
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM plan_application WHERE is_open = 1"
            " LIMIT ?) AS o), (SELECT max(added_on) FROM plan_application),"
            " EXISTS (SELECT 1 FROM application WHERE status = 'accepted')",
            (cap,),
        ).fetchone()
        return int(count)

    def last_added(self) -> date | None:
        if self._memo is not None and "last_added" in self._memo:
            return day_of(self._memo["last_added"])
        (value,) = self.conn.execute("SELECT max(added_on) FROM plan_application").fetchone()
        return day_of(value)

    def next_change(self, now: datetime) -> datetime | None:
        at = ts(now)
        found = [
            self.conn.execute(sql, (at,)).fetchone()[0]
            for sql in (
                "SELECT min(valid_until) FROM planned_action WHERE valid_until > ?",
                "SELECT min(valid_from) FROM planned_action WHERE valid_from > ?",
                "SELECT min(exact_from) FROM plan_application WHERE exact_from > ?",
            )
        ]
        times = [datetime.fromisoformat(t) for t in found if t]
        return min(times) if times else None

    def plan_version(self) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM followup_meta WHERE key = 'plan_version'"
        ).fetchone()
        return row[0] if row else None

    def set_plan_version(self, version: str) -> None:
        self.conn.execute(
            "INSERT INTO followup_meta (key, value) VALUES ('plan_version', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (version,),
        )

    def integrity_problems(self) -> list[str]:
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"{table} row {rowid}: missing {parent} row"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems


#: The columns a list line is read from (migration 0011), in the order of ``_line_values``.
_LINE = (
    "kind",
    "contact",
    "company",
    "position",
    "contact_name",
    "channel",
    "window_days",
    "window_start",
    "window_end",
    "rule",
    "reason",
)
_LINE_COLUMNS = ", ".join(_LINE)
_LINE_WIDTH = len(_LINE)
_LINE_READ = f"action_id, due, application_id, {_LINE_COLUMNS}"


def _line_values(a: Action) -> tuple[str | None, ...]:
    w = a.window
    return (
        a.kind.value,
        a.contact,
        a.company,
        a.position,
        a.contact_name,
        a.channel.value if a.channel else None,
        ",".join(weekday_codes(w.days)) if w is not None else None,
        clock(w.start) if w is not None and w.start else None,
        clock(w.end) if w is not None and w.end else None,
        a.rule,
        a.reason,
    )


def _line(
    action_id: str,
    due: str,
    application: str,
    kind: str,
    contact: str | None,
    company: str | None,
    position: str | None,
    contact_name: str | None,
    channel: str | None,
    days: str | None,
    start: str | None,
    end: str | None,
    rule: str,
    reason: str,
) -> Action:
    """An action as a list line shows it, from its columns: no script, no steps.

    Kinds, channels and windows are looked up, not made again: a search has a few of
    each and a calendar of a backlog reads 150,000 lines (issue 12: ``ActionKind(kind)``
    and the window's parsing were a third of making a line)."""
    return Action(
        id=action_id,
        kind=_KINDS[kind],
        due=date.fromisoformat(due),
        rule=rule,
        reason=reason,
        application=application,
        company=company,
        position=position,
        contact=contact,
        contact_name=contact_name,
        channel=_CHANNELS[channel] if channel else None,
        window=None if days is None else _window(days, start, end),
    )


#: What a calendar line reads (:meth:`SqliteStoredPlan.due_lines`), in ``Line``'s order.
_CALENDAR_READ = (
    "action_id, due, kind, rule, reason, application_id, company, position, contact_name,"
    " channel, window_days, window_start, window_end"
)


_KINDS = {k.value: k for k in ActionKind}
_CHANNELS = {c.value: c for c in Channel}


@functools.lru_cache(maxsize=256)
def _window(days: str, start: str | None, end: str | None) -> ContactWindow:
    return ContactWindow(
        frozenset(WEEKDAYS.index(d) for d in days.split(",") if d),
        time.fromisoformat(start) if start else None,
        time.fromisoformat(end) if end else None,
    )


@functools.cache
def _pages_sql(ranges: int, skipping: bool) -> tuple[str, str]:
    """The statements of :meth:`SqliteStoredPlan.due_pages` for that many ranges, written
    once: their pages (a ``UNION ALL``, each row tagged with its range's number), and their
    counts (one row). Range ``n`` is bound as ``:first{n}`` and ``:last{n}``."""
    where = _WHERE + (_SKIP if skipping else "")
    pages, counts = [], []
    for n in range(ranges):
        one = where.replace(":first", f":first{n}").replace(":last", f":last{n}")
        pages.append(
            f"SELECT {n}, body FROM (SELECT body FROM planned_action"
            f" INDEXED BY planned_action_order WHERE {one}"
            " ORDER BY due, kind, application_id, contact, action_id LIMIT :limit)"
        )
        counts.append(
            "(SELECT count(*) FROM (SELECT 1 FROM planned_action"
            f" INDEXED BY planned_action_order WHERE {one} LIMIT :cap))"
        )
    return " UNION ALL ".join(pages), "SELECT " + ", ".join(counts)


#: A row applies at ``now`` unless it starts after or ends by then (a NULL bound is
#: open): ``(valid_from > :now) IS NOT TRUE`` is ``valid_from IS NULL OR valid_from <=
#: :now`` in fewer of SQLite's steps, and a count steps through up to 1,000 rows (issue
#: 12: 8% fewer instructions for a count of Today's overdue actions).
_WHERE = (
    "due >= :first AND due <= :last AND (valid_from > :now) IS NOT TRUE"
    " AND (valid_until <= :now) IS NOT TRUE"
)
_SKIP = " AND application_id NOT IN (SELECT value FROM json_each(:skip))"


def _due_where(
    now: datetime, first: date, last: date, skip: Collection[str]
) -> tuple[str, dict[str, str]]:
    """Rows due in ``[first, last]`` that apply at ``now``, but those of ``skip``.

    ``skip`` (the applications re-planned in memory: normally none) is bound as one JSON
    array, so that its size never meets SQLite's limit on parameters.
    """
    where = _WHERE
    params = {"first": first.isoformat(), "last": last.isoformat(), "now": ts(now)}
    if skip:
        where += _SKIP
        params["skip"] = json.dumps(sorted(skip))
    return where, params


def _planned(action_id: str, start: str | None, end: str | None, due: str, body: str) -> Planned:
    """The row's action: its id and due date from the columns, put into the record before it
    is made (a ``dataclasses.replace`` after cost the Applications page a fifth of its
    reading, issue 12)."""
    import orjson  # noqa: PLC0415 - as in ``due_in_order``

    record = orjson.loads(body)
    record["id"], record["due"] = action_id, due
    return Planned(
        from_record(record),
        datetime.fromisoformat(start) if start else None,
        datetime.fromisoformat(end) if end else None,
    )
