"""The base of the repository's parts: the shared connection and batched ``IN`` lists."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

#: How many values one ``IN (...)`` list binds (SQLite limits the parameters of a statement).
BATCH = 500


class Batched:
    """Mixed into the repository with each part of it; works on its connection."""

    conn: sqlite3.Connection
    #: What this transaction read already, when it only reads (:class:`.SqliteRepository`):
    #: facts read together in one statement, each then asked for on its own.
    _memo: dict[str, Any] | None = None

    def _in(self, sql: str, values: Iterable[str]) -> Iterator[Any]:
        """Run ``sql`` with ``{marks}`` bound to ``values``, a batch at a time."""
        items = list(values)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def _delete(self, table: str, app_ids: list[str]) -> None:
        """Delete the rows of these applications, a batch per statement."""
        for start in range(0, len(app_ids), BATCH):
            chunk = app_ids[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM {table} WHERE application_id IN ({marks})", chunk)
