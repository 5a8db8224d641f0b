"""The history table: one row per change a user made, for ``followup history`` and ``undo``."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

from followup.adapters.sqlite.columns import ts

if TYPE_CHECKING:  # the history's format loads with the first write or history read
    from followup.domain.history import Entry, Revision


class SqliteHistory:
    """Mixed into the repository; works on its connection (``self.conn``)."""

    conn: sqlite3.Connection

    def add_history(
        self,
        at: datetime,
        summary: str,
        revisions: tuple[Revision, ...],
        undoes: int | None = None,
    ) -> int:
        from followup.formats.history import revisions_to_json  # noqa: PLC0415

        # The id goes on past any entry forgotten (``forget_history`` notes the last one):
        # SQLite would otherwise give a forgotten entry's number to a new one.
        cur = self.conn.execute(
            "INSERT INTO history (id, at, summary, records, undoes) VALUES (1 + max("
            " coalesce((SELECT max(id) FROM history), 0),"
            " coalesce((SELECT CAST(value AS INTEGER) FROM followup_meta WHERE key = ?), 0)"
            "), ?, ?, ?, ?)",
            (_FORGOTTEN, ts(at), summary, revisions_to_json(revisions).decode(), undoes),
        )
        entry_id = cur.lastrowid
        assert entry_id is not None
        if undoes is not None:
            self.conn.execute("UPDATE history SET undone_by = ? WHERE id = ?", (entry_id, undoes))
        return entry_id

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        """The newest entries first (those older than ``before`` when given)."""
        rows = self.conn.execute(
            "SELECT id, at, summary, records, undoes, undone_by FROM history"
            " WHERE (:before IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit",
            {"before": before, "limit": limit},
        )
        return [_entry(r) for r in rows]

    def history_entry(self, entry_id: int) -> Entry | None:
        row = self.conn.execute(
            "SELECT id, at, summary, records, undoes, undone_by FROM history WHERE id = ?",
            (entry_id,),
        ).fetchone()
        return _entry(row) if row else None

    def forget_history(self, before: datetime) -> int:
        """With SQLite's secure delete on, so the erased rows' bytes are overwritten in the
        file rather than left in its free pages (a person forgets to be rid of them)."""
        (secure,) = self.conn.execute("PRAGMA secure_delete").fetchone()
        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            (cut,) = self.conn.execute(
                "SELECT max(id) FROM history WHERE at < ?", (ts(before),)
            ).fetchone()
            if cut is None:
                return 0
            cur = self.conn.execute(
                "DELETE FROM history WHERE id <= :cut OR undoes <= :cut", {"cut": cut}
            )
            self.conn.execute(
                "INSERT INTO followup_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO"
                " UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (_FORGOTTEN, cut),
            )
        finally:
            self.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
        return cur.rowcount

    def last_undoable(self) -> Entry | None:
        """The newest change that is not an undo and was not undone."""
        row = self.conn.execute(
            "SELECT id, at, summary, records, undoes, undone_by FROM history"
            " WHERE undoes IS NULL AND undone_by IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return _entry(row) if row else None


#: followup_meta's key for the newest entry id forgotten.
_FORGOTTEN = "history_forgotten_through"


def _entry(row: tuple[int, str, str, str, int | None, int | None]) -> Entry:
    from followup.domain.history import Entry  # noqa: PLC0415
    from followup.formats.history import revisions_from_json  # noqa: PLC0415

    return Entry(
        id=row[0],
        at=datetime.fromisoformat(row[1]),
        summary=row[2],
        revisions=revisions_from_json(row[3]),
        undoes=row[4],
        undone_by=row[5],
    )
