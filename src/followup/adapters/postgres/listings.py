"""What people read in lists (search, board, calendar), straight from one seeker's rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from followup.adapters.postgres import search_index
from followup.adapters.postgres.owned import Owned, shown
from followup.adapters.postgres.records import contact_of
from followup.domain.listed import Listed, Scheduled
from followup.domain.model import Contact, Status
from followup.domain.search import pieces

_SORTS = {
    "company": "company_key",
    "position": "position",
    "status": "status",
    "applied": "coalesce(applied_on, recorded_on)",
}


class PostgresListings(Owned):
    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        """Words through the ``search`` column's GIN index (:mod:`.search_index`); the
        total counted on the same condition, as the local store does."""
        column = _SORTS[sort.lstrip("-")]
        # NULLs sort as the local store's: first going up, last going down.
        desc = sort.startswith("-")
        order = f"{column} DESC NULLS LAST, id DESC" if desc else f"{column} NULLS FIRST, id"
        where = " WHERE seeker_id = %(s)s AND (%(status)s::text IS NULL OR status = %(status)s)"
        args: dict[str, object] = {
            "s": self.seeker,
            "status": status.value if status is not None else None,
            "limit": limit,
            "offset": offset,
        }
        if pieces(query):
            words = search_index.query(query)
            if words is None:  # only signs typed: no word to find
                return [], 0
            where += " AND search @@ %(words)s::tsquery"
            args["words"] = words
        row = self.conn.execute("SELECT count(*) FROM application" + where, args).fetchone()
        rows = self.conn.execute(
            "SELECT id, company, position, status, applied_on FROM application"
            + where
            + f" ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s",
            args,
        )
        return [_listed(r) for r in rows], int(row[0]) if row else 0

    def newest(self, status: Status, limit: int) -> list[Listed]:
        rows = self._rows(
            "SELECT id, company, position, status, applied_on FROM application"
            " WHERE seeker_id = %s AND status = %s"
            " ORDER BY applied_on DESC NULLS LAST, recorded_on DESC NULLS LAST, id LIMIT %s",
            status.value,
            limit,
        )
        return [_listed(r) for r in rows]

    def count_by_status(self) -> dict[Status, int]:
        rows = self._rows(
            "SELECT status, count(*) FROM application WHERE seeker_id = %s GROUP BY status"
        )
        return {Status(status): int(n) for status, n in rows}

    def interviews_between(
        self, start: datetime, end: datetime, *, ordered: bool = True
    ) -> list[Scheduled]:
        """Always in time order (``ordered`` is a hint the local store uses)."""
        rows = self._rows(
            "SELECT i.application_id, a.company, a.position, i.id, i.at, i.at_offset,"
            " array(SELECT c.name FROM interviewer AS w JOIN contact AS c"
            "   ON c.seeker_id = w.seeker_id AND c.application_id = w.application_id"
            "   AND c.id = w.contact_id"
            "   WHERE w.seeker_id = i.seeker_id AND w.application_id = i.application_id"
            "   AND w.interview_id = i.id ORDER BY w.seq)"
            " FROM interview AS i JOIN application AS a"
            "   ON a.seeker_id = i.seeker_id AND a.id = i.application_id"
            " WHERE i.seeker_id = %s AND i.at >= %s AND i.at < %s AND NOT i.cancelled"
            " ORDER BY i.at, i.application_id, i.id",
            start,
            end,
        )
        return [Scheduled(r[0], r[1], r[2], r[3], shown(r[4], r[5]), tuple(r[6])) for r in rows]

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        wanted = set(pairs)
        found = {}
        rows = self._rows(
            "SELECT application_id, id, name, role, email, phone, name_confirmed,"
            " email_failed_on FROM contact WHERE seeker_id = %s AND application_id = ANY(%s)",
            sorted({app_id for app_id, _ in wanted}),
        )
        for r in rows:
            if (r[0], r[1]) in wanted:
                found[(r[0], r[1])] = contact_of(r)
        return found

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        rows = self._rows(
            "SELECT id, notes FROM application WHERE seeker_id = %s AND id = ANY(%s)"
            " AND notes IS NOT NULL",
            list(app_ids),
        )
        return {r[0]: r[1] for r in rows}


def _listed(row: Any) -> Listed:
    return Listed(row[0], row[1], row[2], Status(row[3]), row[4])
