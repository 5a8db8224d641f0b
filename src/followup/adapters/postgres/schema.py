"""Connecting to the server's database and bringing its schema up to date.

The schema changes only through the numbered SQL files in ``migrations/``, never edited
once landed (a test pins each file's SHA-256). ``schema_version`` records each applied
file: its number, name, hash and when. Each file is applied in a transaction of its own,
under an advisory lock, so that two ``followup server migrate`` at once apply it once
(the second finds it done) and a failure leaves the database at the previous version.

Messages name the database as ``host:port/dbname``, never the URL itself: it may hold
a password.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from followup.errors import DatabaseRefused, DatabaseUnreachable, Refused

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

_MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")
#: The advisory lock every migration takes (a seeker's write lock uses the seeker's id,
#: a positive number, so the two never meet).
MIGRATION_LOCK = -0x466F6C77
LATEST_VERSION = 10  # the highest migration number; a test checks it against migrations()
CONNECT_TIMEOUT_SECONDS = 10


def migrations() -> list[tuple[int, str]]:
    """``(version, path)`` of every migration file, in order."""
    found = [
        (int(name.split("_", 1)[0]), os.path.join(_MIGRATIONS_DIR, name))
        for name in os.listdir(_MIGRATIONS_DIR)
        if name[:4].isdigit() and name.endswith(".sql")
    ]
    return sorted(found)


def where(url: str) -> str:
    """The database as messages name it: ``host:port/dbname``, without any password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "FOLLOWUP_DATABASE_URL"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or ''}"


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection in UTC (transactions are begun explicitly), or one line
    saying why not."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise DatabaseUnreachable(
            "FOLLOWUP_DATABASE_URL: not a PostgreSQL URL (postgresql://USER@HOST:PORT/DBNAME)"
        )
    try:
        from followup.adapters.postgres.connection import Connection  # noqa: PLC0415

        return Connection.connect(
            url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            options="-c TimeZone=UTC",
            application_name="followup",
        )
    except psycopg.ProgrammingError as e:  # a malformed URL
        raise DatabaseUnreachable(f"FOLLOWUP_DATABASE_URL: {first_line(e)}") from None
    except psycopg.OperationalError as e:
        raise DatabaseUnreachable(f"{where(url)}: cannot connect: {first_line(e)}") from None


def first_line(error: Exception) -> str:
    """The reason libpq gives, on one line: "connection to server at ... failed:" (which
    repeats where) and the hints on the lines after it are left out."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    return text.rsplit("failed: ", 1)[-1]


def current_version(conn: psycopg.Connection[Any]) -> int | None:
    """The schema's version; 0 for an empty database, ``None`` for one with tables of
    another program (never touched)."""
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if row and row[0]:
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(found[0]) if found and found[0] is not None else 0
    tables = conn.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchone()
    return 0 if tables and tables[0] == 0 else None


@dataclass(frozen=True)
class Upgrade:
    """What a migration run did: the version before and after, and where."""

    database: str
    before: int
    after: int


def init(url: str, target: int = LATEST_VERSION) -> Upgrade:
    """Create the schema in an empty database (up to ``target``: the tests' earlier ones)."""
    with connect(url) as conn:
        version = _checked_version(conn, url)
        if version > 0:
            raise Refused(
                f"{where(url)}: already initialised (schema {version}); "
                "run `followup server migrate` to upgrade it"
            )
        return Upgrade(where(url), 0, _migrate(conn, target))


def migrate(url: str, target: int = LATEST_VERSION) -> Upgrade:
    """Apply the migrations a database lacks, up to ``target``."""
    with connect(url) as conn:
        version = _checked_version(conn, url)
        if version == 0:
            raise DatabaseRefused(
                f"{where(url)}: has no followup schema yet; run `followup server init` first"
            )
        return Upgrade(where(url), version, _migrate(conn, target))


@contextmanager
def connection(
    url: str, pool: ConnectionPool[psycopg.Connection[Any]] | None
) -> Iterator[psycopg.Connection[Any]]:
    """A connection for one use: the web server's ``pool``'s when there is one (its
    schema was checked when the worker started), else one of its own, refused unless the
    schema is current, and closed after."""
    if pool is not None:
        with pool.connection() as pooled:
            yield pooled
        return
    conn = connect(url)
    try:
        require_current(conn, url)
        yield conn
    finally:
        conn.close()


def require_current(conn: psycopg.Connection[Any], url: str) -> None:
    """Refuse a database whose schema is not the one this followup knows."""
    version = _checked_version(conn, url)
    if version == 0:
        raise DatabaseRefused(
            f"{where(url)}: has no followup schema yet; run `followup server init` first"
        )
    if version < LATEST_VERSION:
        raise DatabaseRefused(
            f"{where(url)}: schema {version} is older than this followup's "
            f"({LATEST_VERSION}); run `followup server migrate`"
        )


def _checked_version(conn: psycopg.Connection[Any], url: str) -> int:
    version = current_version(conn)
    if version is None:
        raise DatabaseRefused(
            f"{where(url)}: not a followup database (it has tables of another program)"
        )
    if version > LATEST_VERSION:
        raise DatabaseRefused(
            f"{where(url)}: made by a newer followup (schema {version}, this one knows "
            f"{LATEST_VERSION}); upgrade followup"
        )
    return version


def _after(path: str, conn: psycopg.Connection[Any]) -> None:
    """What a migration needs done in Python, in its transaction: ``*_search.sql`` indexes
    the applications already stored with the words of ``domain/search.py``, which SQL
    cannot make (keyed by the name after the number, which may change at a merge)."""
    if os.path.basename(path).split("_", 1)[-1] == "search.sql":
        from followup.adapters.postgres.search_index import reindex_all  # noqa: PLC0415

        reindex_all(conn)


def _migrate(conn: psycopg.Connection[Any], target: int) -> int:
    """Apply each missing migration up to ``target`` in a transaction of its own; the
    version reached."""
    reached = 0
    for version, path in migrations():
        if version > target:
            break
        with open(path, "rb") as f:
            script = f.read()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version integer PRIMARY KEY,"
                " name text NOT NULL,"
                " sha256 text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = conn.execute(
                "SELECT 1 FROM schema_version WHERE version = %s", (version,)
            ).fetchone()
            if done is None:  # another process may have applied it meanwhile
                conn.execute(script)  # several statements: sent as they are
                _after(path, conn)
                conn.execute(
                    "INSERT INTO schema_version (version, name, sha256) VALUES (%s, %s, %s)",
                    (version, os.path.basename(path), hashlib.sha256(script).hexdigest()),
                )
        reached = version
    return reached
