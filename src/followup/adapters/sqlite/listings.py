"""What people read in lists (search, board, calendar), straight from the tables."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup.adapters.sqlite import search_index
from followup.adapters.sqlite.batched import Batched
from followup.adapters.sqlite.columns import contact_from_row, day_of, moment_of, ts
from followup.domain.model import Contact, Status

if TYPE_CHECKING:  # made only by the lists that show them, not by every command
    from followup.domain.listed import Listed, Scheduled


class SqliteListings(Batched):
    """Mixed into the repository; works on its connection."""

    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        """Words through the FTS5 index (:mod:`.search_index`); the total counted there,
        or on an index when nothing is typed (SQLite counts an index without the rows)."""
        column = _SORTS[sort.lstrip("-")]
        order = f"{column} DESC, id DESC" if sort.startswith("-") else f"{column}, id"
        where: list[str] = []
        args: dict[str, object] = {"status": status, "limit": limit, "offset": offset}
        match = search_index.match_expression(query)
        if match is not None:
            where.append(
                "id IN (SELECT k.application_id FROM application_search AS s"
                " JOIN application_search_key AS k ON k.id = s.rowid"
                " WHERE application_search MATCH :match)"
            )
            args["match"] = match
        if status is not None:
            where.append("status = :status")
        condition = (" WHERE " + " AND ".join(where)) if where else ""
        (total,) = self.conn.execute(
            "SELECT count(*) FROM application" + condition, args
        ).fetchone()
        rows = self.conn.execute(
            "SELECT id, company, position, status, applied_on FROM application"
            + condition
            + f" ORDER BY {order} LIMIT :limit OFFSET :offset",
            args,
        )
        return [_listed(r) for r in rows], int(total)

    def newest(self, status: Status, limit: int) -> list[Listed]:
        rows = self.conn.execute(
            "SELECT id, company, position, status, applied_on FROM application"
            " WHERE status = ? ORDER BY applied_on DESC, recorded_on DESC, id LIMIT ?",
            (status, limit),
        )
        return [_listed(r) for r in rows]

    def count_by_status(self) -> dict[Status, int]:
        rows = self.conn.execute("SELECT status, count(*) FROM application GROUP BY status")
        return {Status(status): int(n) for status, n in rows}

    def interviews_between(
        self, start: datetime, end: datetime, *, ordered: bool = True
    ) -> list[Scheduled]:
        """One join, an interview per run of rows (one per interviewer, in their order):
        a subquery per interview, and its JSON, were a fifth of ``ics`` at 100,000.

        ``ordered=False`` (the calendar, a span of 15 months): the interviews are scanned
        in their table's order, by application, so the application, interviewer and
        contact rows joined to them are read in their tables' order too. Found through
        the ``interview_at`` index, each interview sent the join to pages at random
        through the 2 MB page cache: 52,000 interviews of the 100k backlog took 2 s of
        CPU (mostly system time reading pages), the scan 0.2 s (issue 12)."""
        if ordered:
            where, order = "i.at >= ? AND i.at < ?", " ORDER BY i.at, i.application_id, i.id, w.seq"
        else:  # the unary + keeps SQLite from the index; CROSS JOIN keeps the scan outside
            where, order = "+i.at >= ? AND +i.at < ?", ""
        rows = self.conn.execute(
            "SELECT i.application_id, a.company, a.position, i.id, i.at, i.at_offset, c.name"
            f" FROM interview AS i {'JOIN' if ordered else 'CROSS JOIN'} application AS a"
            " ON a.id = i.application_id LEFT JOIN interviewer AS w"
            "  ON w.application_id = i.application_id AND w.interview_id = i.id"
            " LEFT JOIN contact AS c ON c.application_id = w.application_id AND c.id = w.contact_id"
            f" WHERE {where} AND i.cancelled = 0{order}",
            (ts(start), ts(end)),
        )
        from followup.domain.listed import Scheduled  # noqa: PLC0415

        found = []
        for (app_id, company, position, interview_id, at, offset), run in itertools.groupby(
            rows, key=operator.itemgetter(0, 1, 2, 3, 4, 5)
        ):
            names = tuple(r[6] for r in run if r[6] is not None)
            found.append(
                Scheduled(app_id, company, position, interview_id, moment_of(at, offset), names)
            )
        return found

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        wanted = set(pairs)
        found = {}
        sql = (
            "SELECT application_id, id, name, role, email, phone, name_confirmed,"
            " email_failed_on FROM contact WHERE application_id IN ({marks})"
        )
        for r in self._in(sql, {app_id for app_id, _ in wanted}):
            if (r[0], r[1]) in wanted:
                found[(r[0], r[1])] = contact_from_row(r)
        return found

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        sql = "SELECT id, notes FROM application WHERE id IN ({marks}) AND notes IS NOT NULL"
        return {r[0]: r[1] for r in self._in(sql, app_ids)}


_SORTS = {
    "company": "company_key",
    "position": "position",
    "status": "status",
    "applied": "coalesce(applied_on, recorded_on)",
}


def _listed(row: Any) -> Listed:
    from followup.domain.listed import Listed  # noqa: PLC0415

    return Listed(row[0], row[1], row[2], Status(row[3]), day_of(row[4]))
