"""The PostgreSQL store: one seeker's view of the server's database.

A store is made for one seeker (``seeker``: the id of its ``seeker`` row) and every
query it runs says so; the web app will make one per request from the signed-in account.

The transactions keep the promises the services rely on with the local store:

- ``reading()`` is a ``REPEATABLE READ READ ONLY`` transaction: one snapshot for all its
  queries, as SQLite's read transaction gives, and any write in it is refused.
- ``writing()`` takes the seeker's write lock first (a transaction-scoped advisory lock
  keyed by the seeker's id), as ``BEGIN IMMEDIATE`` takes SQLite's: the writes of one
  seeker run one at a time, each seeing what the previous one committed, so a service's
  read-then-write cannot lose another's update; different seekers never wait for each
  other. The lock is waited for up to :data:`WRITE_WAIT_SECONDS` (``lock_timeout``),
  then the write is refused with :class:`DatabaseBusy` (exit 7), nothing written.
- ``change_token()`` is the seeker's ``changes`` counter, moved by every write that
  changed a row, read by one autocommit query (no transaction is held open).

Given a ``pool`` (the web server's), each transaction borrows a connection for its own
length and gives it back at its end: a request holds none while it waits for anything
else, and a few connections serve every request of a worker process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors

from followup.adapters.postgres.connection import run
from followup.adapters.postgres.repository import PostgresRepository
from followup.adapters.postgres.schema import connect, first_line, require_current, where
from followup.adapters.postgres.settings import SETTINGS, SessionRead
from followup.errors import DatabaseBusy, DatabaseUnreachable, NotFound

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

#: How long a write waits for the seeker's write lock before it is refused (exit 7).
WRITE_WAIT_SECONDS = 60.0


class PostgresStore:
    def __init__(
        self,
        url: str,
        seeker: int,
        pool: ConnectionPool[psycopg.Connection[Any]] | None = None,
        changes: object = None,
    ) -> None:
        """``pool``: connections to borrow (the caller checked the schema and that the
        seeker exists); without it the store opens one connection and checks both.
        ``changes``: the seeker's change token as the caller just read it (the web
        server's sign-in query reads it with the session): the first
        :meth:`change_token` answers it without a query, unless a write came first. A
        ``SessionRead`` (the session lookup's) brings the settings too, for the first read."""
        self.url = url
        self.seeker = seeker
        self.pool = pool
        #: The settings as the caller read them with ``changes`` (a ``SessionRead``), for
        #: the first read (a write reads them again, with its lock).
        self._settings: list[tuple[str, str]] | None = None
        if isinstance(changes, SessionRead):
            changes, self._settings = changes
        self._changes = changes
        #: How long a write waits for the seeker's write lock (tests shorten it).
        self.write_wait = WRITE_WAIT_SECONDS
        self._conn: psycopg.Connection[Any] | None = None

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            conn = connect(self.url)
            try:
                require_current(conn, self.url)
                row = conn.execute("SELECT 1 FROM seeker WHERE id = %s", (self.seeker,))
                if row.fetchone() is None:
                    raise NotFound(f"{where(self.url)}: no seeker {self.seeker}")
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """The store's own connection, or one borrowed from the pool for this block."""
        if self.pool is None:
            yield self.conn
            return
        from psycopg_pool import PoolTimeout  # noqa: PLC0415 - the web server's path only

        try:
            conn = self.pool.getconn()
        except PoolTimeout:
            raise DatabaseBusy(f"{where(self.url)}: no free connection; try again") from None
        try:
            yield conn
        finally:  # given back whatever happens (the pool rolls back what is left open)
            self.pool.putconn(conn)

    def change_token(self) -> object:
        if self._changes is not None:  # read a moment ago, with the request's session
            known, self._changes = self._changes, None
            return known
        with self._unreachable(), self._connection() as conn:
            row = run(conn, "SELECT changes FROM seeker WHERE id = %s", (self.seeker,)).fetchone()
        return row[0] if row else None

    @contextmanager
    def reading(self) -> Iterator[PostgresRepository]:
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") as repo:
            yield repo

    @contextmanager
    def writing(self) -> Iterator[PostgresRepository]:
        self._changes = self._settings = None  # a write moves them: read them again after
        with self._transaction("BEGIN ISOLATION LEVEL READ COMMITTED", write=True) as repo:
            yield repo

    @contextmanager
    def _transaction(self, begin: str, *, write: bool = False) -> Iterator[PostgresRepository]:
        with self._connection() as conn, self._in_transaction(conn, begin, write) as repo:
            yield repo

    @contextmanager
    def _in_transaction(
        self, conn: psycopg.Connection[Any], begin: str, write: bool
    ) -> Iterator[PostgresRepository]:
        """A write's ``BEGIN``, its lock and the seeker's settings are sent together
        (psycopg's pipeline: one round trip, one wake-up of the server), and so are its
        change counter and ``COMMIT``. A write's session reads the settings first: sent
        with the lock, they cost no round trip of their own (measured, a write's
        transaction: ~0.5 ms of Python and ~0.2 ms of PostgreSQL instead of ~0.6 and
        ~0.3). A read sends its ``BEGIN`` alone: there a pipeline cost more than the
        round trip it saved (its ``BEGIN`` no longer a simple query)."""
        if not write:
            with self._unreachable():
                run(conn, begin)
        try:
            settings = None
            if write:
                with conn.pipeline():
                    conn.execute(begin)
                    self._lock(conn)
                    settings = conn.execute(SETTINGS, (self.seeker,))
            repo = PostgresRepository(conn, self.seeker, read_only=not write)
            if settings is not None:
                repo.settings_read(settings.fetchall())
            elif self._settings is not None:  # read with the session, a moment ago
                repo.settings_read(self._settings)
                self._settings = None
            yield repo
        except BaseException as e:
            self._end(conn, "ROLLBACK")
            if isinstance(e, psycopg.OperationalError | errors.SerializationFailure):
                raise self._translated(e) from None
            raise
        try:
            if not write:
                run(conn, "COMMIT")
            else:
                with conn.pipeline():  # only a transaction that wrote has an id by now
                    conn.execute(
                        "UPDATE seeker SET changes = changes + 1"
                        " WHERE id = %s AND pg_current_xact_id_if_assigned() IS NOT NULL",
                        (self.seeker,),
                    )
                    conn.execute("COMMIT")
        except psycopg.Error as e:
            self._end(conn, "ROLLBACK")
            raise self._translated(e) from None

    def _lock(self, conn: psycopg.Connection[Any]) -> None:
        """The seeker's write lock, waited for up to ``write_wait``: one round trip (the
        select list is evaluated in order: the timeout is set, the lock taken, the
        timeout set back for the rest of the transaction)."""
        conn.execute(
            "SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s),"
            " set_config('lock_timeout', '0', true)",
            (f"{int(self.write_wait * 1000)}ms", self.seeker),
        )

    def _end(self, conn: psycopg.Connection[Any], how: str) -> None:
        """End the transaction; a connection that broke is dropped (the next use reconnects)."""
        try:
            if not conn.closed:
                conn.execute(how)
        except psycopg.Error:
            self.close()
        if conn.broken:
            self.close()

    def _translated(self, e: psycopg.Error) -> Exception:
        if isinstance(e, errors.LockNotAvailable | errors.DeadlockDetected):
            return DatabaseBusy(
                f"{where(self.url)}: another write of this seeker held on for longer than "
                f"{self.write_wait:g} s; nothing was written, try again"
            )
        if isinstance(e, errors.SerializationFailure):
            return DatabaseBusy(f"{where(self.url)}: a concurrent change; try again")
        if isinstance(e, psycopg.OperationalError):
            return DatabaseUnreachable(f"{where(self.url)}: connection lost: {first_line(e)}")
        return e

    @contextmanager
    def _unreachable(self) -> Iterator[None]:
        try:
            yield
        except psycopg.OperationalError as e:
            self.close()
            raise DatabaseUnreachable(
                f"{where(self.url)}: connection lost: {first_line(e)}"
            ) from None
