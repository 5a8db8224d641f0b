"""The history of changes: one row per change the seeker made (``history``, ``undo``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from followup.adapters.postgres.owned import Owned, utc
from followup.domain.history import Entry, Revision
from followup.formats.history import revisions_from_json, revisions_to_json

_ENTRY = "SELECT id, at, summary, records, undoes, undone_by FROM history WHERE seeker_id = %s"


class PostgresHistory(Owned):
    def add_history(
        self,
        at: datetime,
        summary: str,
        revisions: tuple[Revision, ...],
        undoes: int | None = None,
    ) -> int:
        (entry_id,) = self._one(
            "INSERT INTO history (seeker_id, at, summary, records, undoes)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            at,
            summary,
            revisions_to_json(revisions).decode(),
            undoes,
        )
        if undoes is not None:
            self.conn.execute(
                "UPDATE history SET undone_by = %s WHERE seeker_id = %s AND id = %s",
                (entry_id, self.seeker, undoes),
            )
        return int(entry_id)

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        rows = self._rows(
            _ENTRY + " AND (%s::bigint IS NULL OR id < %s) ORDER BY id DESC LIMIT %s",
            before,
            before,
            limit,
        )
        return [_entry(r) for r in rows]

    def history_entry(self, entry_id: int) -> Entry | None:
        row = self._one(_ENTRY + " AND id = %s", entry_id)
        return _entry(row) if row else None

    def forget_history(self, before: datetime) -> int:
        cur = self.conn.execute(
            "WITH cut AS (SELECT max(id) AS id FROM history WHERE seeker_id = %s AND at < %s)"
            " DELETE FROM history WHERE seeker_id = %s"
            " AND (id <= (SELECT id FROM cut) OR undoes <= (SELECT id FROM cut))",
            (self.seeker, before, self.seeker),
        )
        return cur.rowcount

    def last_undoable(self) -> Entry | None:
        row = self._one(
            _ENTRY + " AND undoes IS NULL AND undone_by IS NULL ORDER BY id DESC LIMIT 1"
        )
        return _entry(row) if row else None


def _entry(row: Any) -> Entry:
    return Entry(
        id=int(row[0]),
        at=utc(row[1]),
        summary=row[2],
        revisions=revisions_from_json(row[3]),
        undoes=row[4],
        undone_by=row[5],
    )
