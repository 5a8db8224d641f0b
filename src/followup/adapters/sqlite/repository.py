"""The SQLite implementation of the repository port, one part per concept of the port.

Each part is a class mixed in over the one connection of the transaction (as
``history.py`` started it), so a part holds only its own SQL. The SQL is kept portable
(``INSERT ... ON CONFLICT``, partial indexes, no SQLite-only functions) so that a
PostgreSQL store can share it.
"""

from __future__ import annotations

import sqlite3

from followup.adapters.sqlite.feed_digest import SqliteFeedAndDigest
from followup.adapters.sqlite.figures import SqliteFigures
from followup.adapters.sqlite.history import SqliteHistory
from followup.adapters.sqlite.listings import SqliteListings
from followup.adapters.sqlite.mail_state import SqliteMailState
from followup.adapters.sqlite.records import SqliteRecords
from followup.adapters.sqlite.settings import SqliteSettings
from followup.adapters.sqlite.stored_plan import SqliteStoredPlan


class SqliteRepository(
    SqliteSettings,
    SqliteRecords,
    SqliteListings,
    SqliteStoredPlan,
    SqliteHistory,
    SqliteMailState,
    SqliteFeedAndDigest,
    SqliteFigures,
):
    """One transaction's view of the database (the store begins and ends it)."""

    def __init__(self, conn: sqlite3.Connection, reading: bool = False) -> None:
        """``reading``: the transaction only reads (``Store.reading``), so what it read
        stays true to its end: R9's facts and the settings, read once (issue 12: a Today
        page afresh read them in five statements; PostgreSQL's repository does the same)."""
        self.conn = conn
        self._memo = {} if reading else None
