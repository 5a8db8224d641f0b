"""The stored plan: each application's planned actions with the instants they apply
between, derived from the records (``doctor --repair`` rebuilds it)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from followup.adapters.sqlite.batched import Batched
from followup.adapters.sqlite.columns import day_of, iso_day, ts
from followup.domain.model import Action, Application
from followup.domain.planner import Planned
from followup.formats.plan import from_record, to_record


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
            " due, body) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    app.id,
                    p.action.id,
                    ts(p.valid_from) if p.valid_from else None,
                    ts(p.valid_until) if p.valid_until else None,
                    p.action.due.isoformat(),
                    orjson.dumps(to_record(p.action)).decode(),
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
        (count,) = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM plan_application WHERE is_open = 1 LIMIT ?) AS o",
            (cap,),
        ).fetchone()
        return int(count)

    def last_added(self) -> date | None:
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


def _planned(action_id: str, start: str | None, end: str | None, due: str, body: str) -> Planned:
    return Planned(
        replace(from_record(json.loads(body)), id=action_id, due=date.fromisoformat(due)),
        datetime.fromisoformat(start) if start else None,
        datetime.fromisoformat(end) if end else None,
    )
