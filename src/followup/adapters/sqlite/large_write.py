"""A large write (an import) made cheaper: a bigger page cache, and on an empty database
the indexes that only reads use built once at the end instead of row by row.

SQLite's default page cache is 2 MB. An import of 100,000 applications writes some
400 MB of tables and indexes, the stored plan's indexes in the order of dates and
kinds rather than of the rows: with 2 MB, most inserts read their index page back from
the operating system. 64 MB for the length of the write took a fifth off the SQLite
side of an import of 100,000 (issue 12); a command that reads never grows it.

Into an empty database (a first import, the benchmark's databases), the indexes that
only reads use (:data:`READ_ONLY_INDEXES`) are dropped inside the transaction and made
again, with the same SQL, just before it commits: one sorted build costs less than
keeping each in order through every insert. The write's own lookups (by id, by
company, "is any offer accepted") keep their indexes. DDL is transactional in SQLite:
a refused import rolls the drops back with the rest, and other connections never see a
database without them.
"""

from __future__ import annotations

import sqlite3

#: Applications put in one call from which a write counts as large.
LARGE = 500
#: The page cache of a large write, in KiB (``PRAGMA cache_size`` takes it negated).
CACHE_KIB = 65_536
#: Indexes that no step of a write reads (the lists, Today, the figures, the calendar).
READ_ONLY_INDEXES = (
    "planned_action_order",
    "planned_action_open_due",
    "planned_action_bounded",
    "planned_action_from",
    "plan_application_open",
    "plan_application_added",
    "application_added",
    "application_status_added",
    "application_status_company",
    "interview_at",
)


class SqliteLargeWrite:
    """Mixed into the repository; works on its connection."""

    conn: sqlite3.Connection
    _cache_before: int | None = None
    _dropped: tuple[str, ...] = ()

    def _large_write(self, count: int) -> None:
        """Called before ``count`` applications are put: the first large put of the
        transaction raises the cache and, into an empty database, drops the indexes."""
        if count < LARGE or self._cache_before is not None:
            return
        c = self.conn
        (self._cache_before,) = c.execute("PRAGMA cache_size").fetchone()
        c.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if c.execute("SELECT 1 FROM application LIMIT 1").fetchone() is not None:
            return
        marks = ",".join("?" * len(READ_ONLY_INDEXES))
        found = c.execute(
            "SELECT name, sql FROM sqlite_master"
            f" WHERE type = 'index' AND sql IS NOT NULL AND name IN ({marks}) ORDER BY name",
            READ_ONLY_INDEXES,
        ).fetchall()
        for name, _ in found:
            c.execute(f'DROP INDEX "{name}"')
        self._dropped = tuple(sql for _, sql in found)

    def end_write(self, *, committing: bool) -> None:
        """Before the commit (``committing``): the dropped indexes made again. Either way,
        the cache back to what it was."""
        dropped, self._dropped = self._dropped, ()
        if committing:
            for sql in dropped:
                self.conn.execute(sql)
        if self._cache_before is not None:
            self.conn.execute(f"PRAGMA cache_size = {int(self._cache_before)}")
            self._cache_before = None
