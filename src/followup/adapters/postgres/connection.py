"""The server's connections: psycopg's, each keeping one cursor for the statements whose
rows are read at once (:func:`run`).

``Connection.execute`` makes a new cursor for every statement, and making one (its
adapters, its transformer) cost the web server's worker about as much as a third of a
short statement's whole round trip in Python (measured with callgrind: about 116,000
instructions a statement with a new cursor, 81,000 on a kept one). A Today page after a
write runs about thirty statements.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.abc import Params
from psycopg.sql import SQL, Composed


class Connection(psycopg.Connection[Any]):
    """psycopg's connection, with the cursor :func:`run` keeps (``None`` until used)."""

    kept: psycopg.Cursor[Any] | None = None


def run(
    conn: psycopg.Connection[Any], query: str | bytes | SQL | Composed, params: Params | None = None
) -> psycopg.Cursor[Any]:
    """``conn.execute(query, params)`` on the cursor ``conn`` keeps, when it is one of ours
    (a plain psycopg connection, as a test or the bench may pass, makes a new one).

    The cursor is the same at the next call: read the rows (``fetchall``, ``fetchone``,
    ``rowcount``) before running anything else on the connection, and never leave its
    result to be iterated later. Not in a pipeline either, where each statement sent
    needs a cursor of its own until its result is read."""
    if not isinstance(conn, Connection):
        return conn.execute(query, params)
    cursor = conn.kept
    if cursor is None or cursor.closed:
        cursor = conn.kept = conn.cursor()
    return cursor.execute(query, params)
