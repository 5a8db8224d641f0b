"""The SQLite store: one connection, one transaction per command.

Writes start with ``BEGIN IMMEDIATE``: a deferred transaction that later upgrades to a
write can fail with "database is locked" even with a busy timeout (with 8 concurrent
writers, 1,500 of 2,400 transactions were lost that way in a measurement; none with
``BEGIN IMMEDIATE``), because SQLite cannot wait for a lock upgrade without risking a
deadlock. Taking the write lock first lets the busy timeout do its job.

Writers wait their turn for up to :data:`WRITE_WAIT_SECONDS`. SQLite's busy handler polls
(every 100 ms once it has waited a while) rather than queueing, so with many writers on
a busy machine one of them can keep missing its turn: 8 processes writing at once saw
1.2% of their writes refused after the former 5 s. ``BEGIN IMMEDIATE`` is retried, with
a random pause that breaks lockstep, until the write lock is taken or the wait is over:
retrying it is safe, as nothing has been read or written yet.

A database this process may only read (see :mod:`.database`) serves every read; a write
is refused with :class:`DatabaseReadOnly` before anything starts.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from followup.adapters.sqlite.database import connect, why_read_only
from followup.adapters.sqlite.repository import SqliteRepository
from followup.errors import DatabaseBusy, DatabaseReadOnly

#: How long a write waits for the write lock before it is refused (exit 7).
WRITE_WAIT_SECONDS = 60.0


class SqliteStore:
    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self.meta: dict[str, str] = {}
        #: How long a write waits for the write lock (tests shorten it).
        self.write_wait = WRITE_WAIT_SECONDS
        #: Why this process may only read the database (``None``: it may write).
        self.read_only: str | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn, self.meta = connect(self.path)
            (query_only,) = self._conn.execute("PRAGMA query_only").fetchone()
            if query_only:
                self.read_only = why_read_only(self.path) or "opened read-only"
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def change_token(self) -> object:
        """``data_version`` moves on others' commits, ``total_changes`` on this connection's."""
        (version,) = self.conn.execute("PRAGMA data_version").fetchone()
        return (version, self.conn.total_changes)

    @contextmanager
    def reading(self) -> Iterator[SqliteRepository]:
        with self._transaction("BEGIN", reading=True) as repo:
            yield repo

    @contextmanager
    def writing(self) -> Iterator[SqliteRepository]:
        if self._conn is None:
            self.conn  # noqa: B018 - opening tells whether the file may be written
        if self.read_only:
            raise self._read_only(self.read_only)
        with self._transaction("BEGIN IMMEDIATE", self.write_wait) as repo:
            yield repo

    @contextmanager
    def _transaction(
        self, begin: str, wait: float = 0.0, *, reading: bool = False
    ) -> Iterator[SqliteRepository]:
        conn = self.conn
        deadline = time.monotonic() + wait
        while True:
            try:
                conn.execute(begin)
                break
            except sqlite3.OperationalError as e:
                if not self._is_busy(e) or time.monotonic() >= deadline:
                    raise self._busy(e) from None
                import random  # noqa: PLC0415 - only when the lock is taken

                time.sleep(random.uniform(0.0, 0.05))
        repo = SqliteRepository(conn, reading)
        try:
            yield repo
        except sqlite3.OperationalError as e:
            self._rollback(repo)
            raise self._busy(e) from None
        except BaseException:
            self._rollback(repo)
            raise
        try:
            repo.end_write(committing=True)  # a large write's indexes, made again
            conn.execute("COMMIT")
        except sqlite3.OperationalError as e:
            self._rollback(repo)
            raise self._busy(e) from None

    @staticmethod
    def _rollback(repo: SqliteRepository) -> None:
        repo.conn.execute("ROLLBACK")
        repo.end_write(committing=False)

    @staticmethod
    def _is_busy(error: sqlite3.OperationalError) -> bool:
        return "locked" in str(error) or "busy" in str(error)

    def _busy(self, error: sqlite3.OperationalError) -> Exception:
        if self._is_busy(error):
            return DatabaseBusy(f"{self.path}: the database is busy in another process; try again")
        if "readonly" in str(error):
            return self._read_only(str(error))
        return error

    def _read_only(self, why: str) -> DatabaseReadOnly:
        return DatabaseReadOnly(
            f"{self.path}: the database is read-only ({why}); nothing was written"
        )
