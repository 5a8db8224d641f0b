"""Opening a followup database: refuse what is not ours, migrate what is older.

Why the standard library's ``sqlite3`` and plain SQL migrations rather than an ORM and
Alembic: ``followup today`` must answer as a whole process in well under 80 ms, and
SQLAlchemy alone costs 200 ms to import; the queries are few and simple, and plain SQL
keeps them portable to the PostgreSQL store to come (datasette and sqlite-utils work
the same way). The schema changes only through the numbered files in ``migrations/``.

A file is refused untouched (nothing is written, not even the WAL switch) when it is not
an SQLite database, or is one with tables but without our application id, or was made
by a newer release. An older followup database is copied with SQLite's backup API
before it is migrated, in one transaction.

A database this process cannot write (the file's permissions, or its folder's: SQLite
keeps the write-ahead log next to it) is opened read-only, with ``query_only`` on, so
that reading works (see :func:`_open_read_only`). A write then fails with
:class:`DatabaseReadOnly`, and so does an upgrade it would need.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

from followup.errors import DatabaseBusy, DatabaseReadOnly, DatabaseRefused

#: ``PRAGMA application_id``: "Folw". Marks a file as a followup database.
APPLICATION_ID = 0x466F6C77
BUSY_TIMEOUT_SECONDS = 5.0
#: A migration waits longer for the write lock: another process may be migrating the
#: same database (it then finds nothing left to do).
MIGRATION_WAIT_SECONDS = 60.0
_MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")
_SQLITE_HEADER = b"SQLite format 3\x00"


def migrations() -> list[tuple[int, str]]:
    """``(version, path)`` of every migration file, in order.

    Most are SQL. A ``.py`` file is a step SQL cannot say (SQLite has no ``ADD COLUMN IF
    NOT EXISTS``, nor any conditional): its ``apply(conn)`` runs in the same transaction,
    with foreign keys off like the SQL ones. Either kind is never edited once landed
    (a test pins each file's SHA-256).
    """
    found = []
    for name in os.listdir(_MIGRATIONS_DIR):
        if name[:4].isdigit() and name.endswith((".sql", ".py")):
            found.append((int(name.split("_", 1)[0]), os.path.join(_MIGRATIONS_DIR, name)))
    return sorted(found)


LATEST_VERSION = 12  # the highest migration number; a test checks it against migrations()


def connect(path: str) -> tuple[sqlite3.Connection, dict[str, str]]:
    """An open, current database at ``path`` (created if needed) and its meta values."""
    fresh = _prepare_file(path)
    read_only = None if fresh else why_read_only(path)
    conn = _open_read_only(path) if read_only else _open(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        meta = _meta(conn, path)
        version = int(meta.get("schema_version", "0"))
        if version > LATEST_VERSION:
            raise DatabaseRefused(
                f"{path}: made by a newer followup (schema {version}, this one knows "
                f"{LATEST_VERSION}); upgrade followup to open it"
            )
        if version < LATEST_VERSION and read_only:
            raise DatabaseReadOnly(
                f"{path}: needs an upgrade (schema {version} to {LATEST_VERSION}) but is "
                f"read-only ({read_only}); run followup once with write access to it"
            )
        if version < LATEST_VERSION:
            if version > 0:
                backup(conn, f"{path}.schema{version}-{_stamp()}.bak")
            if fresh or version == 0:
                conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, version, LATEST_VERSION)
            meta = _meta(conn, path)
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no integrity
    except BaseException:
        conn.close()
        raise
    return conn, meta


def why_read_only(path: str) -> str | None:
    """Why this process cannot write the database at ``path`` (``None``: it can)."""
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is not writable"
    return None


def _open(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)


def _open_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection that leaves no file behind.

    With a write-ahead log present (a writer is, or was, at work), SQLite must read it
    and share its index: ``mode=ro``. Without one, ``immutable``: in ``mode=ro`` SQLite
    would create the log's index file read-only, and a later writer (once the file is
    writable again) would trip over it.
    """
    from pathlib import Path  # noqa: PLC0415 - pathlib and its URL code, only here

    uri = Path(path).absolute().as_uri()
    if not (os.path.exists(f"{path}-wal") or os.path.exists(f"{path}-shm")):
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS
        )
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as e:
            conn.close()
            raise DatabaseReadOnly(
                f"{path}: is read-only and its write-ahead log cannot be read ({e}); "
                "open it once with write access"
            ) from None
    conn.execute("PRAGMA query_only = ON")
    return conn


def _prepare_file(path: str) -> bool:
    """Check an existing file's header, or create a private empty file. True if new."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, mode=0o700, exist_ok=True)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:  # another process created it meanwhile: check it instead
            return _prepare_file(path)
        except PermissionError:
            raise DatabaseReadOnly(
                f"{path}: cannot be created: its folder {parent} is not writable"
            ) from None
        return True
    except IsADirectoryError:
        raise DatabaseRefused(f"{path}: is a directory, not a followup database") from None
    except PermissionError:
        raise DatabaseRefused(f"{path}: cannot be read (permission denied)") from None
    if header and header != _SQLITE_HEADER:
        raise DatabaseRefused(f"{path}: not a followup database (not an SQLite file)")
    return not header


def _meta(conn: sqlite3.Connection, path: str) -> dict[str, str]:
    try:
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        if app_id != APPLICATION_ID:
            (tables,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if tables:
                raise DatabaseRefused(
                    f"{path}: not a followup database (an SQLite file of another program)"
                )
            return {}
        return dict(conn.execute("SELECT key, value FROM followup_meta").fetchall())
    except sqlite3.DatabaseError as e:
        if isinstance(e, sqlite3.OperationalError) and "locked" in str(e):
            raise DatabaseBusy(f"{path}: the database is busy in another process") from None
        if isinstance(e, sqlite3.OperationalError) and "readonly" in str(e):
            raise DatabaseReadOnly(f"{path}: cannot be read: {e}") from None
        raise DatabaseRefused(f"{path}: not a followup database ({e})") from None


def backup(conn: sqlite3.Connection, target: str) -> str:
    """A consistent copy of the whole database, even while others read it; its path.

    Written under a temporary name and renamed when whole, so that a crash (``kill -9``)
    leaves no half copy that looks like a backup; ``-2``, ``-3``... when ``target`` is
    taken (a second try in the same second).
    """
    stem, ext = os.path.splitext(target)
    for n in range(1, 1000):
        chosen = target if n == 1 else f"{stem}-{n}{ext}"
        if not os.path.exists(chosen):
            break
    part = f"{chosen}.part-{os.getpid()}"
    os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    copy = sqlite3.connect(part)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    os.replace(part, chosen)
    return chosen


def migrate(conn: sqlite3.Connection, current: int, target: int) -> None:
    """Apply migrations ``current+1 .. target`` in one transaction.

    Foreign keys are off meanwhile (SQLite's advice for schema changes: a table rebuilt
    by a step must not cascade deletes to its children), and checked before the commit.
    """
    (keys_on,) = conn.execute("PRAGMA foreign_keys").fetchone()
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: set before
    conn.execute(f"PRAGMA busy_timeout = {int(MIGRATION_WAIT_SECONDS * 1000)}")
    try:
        _migrate(conn, current, target)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if keys_on else 'OFF'}")
        conn.execute(f"PRAGMA busy_timeout = {timeout}")


def _migrate(conn: sqlite3.Connection, current: int, target: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        (now_version,) = conn.execute("PRAGMA application_id").fetchone()
        if now_version == APPLICATION_ID:  # another process may have migrated meanwhile
            row = conn.execute(
                "SELECT value FROM followup_meta WHERE key = 'schema_version'"
            ).fetchone()
            current = int(row[0]) if row else 0
        for version, path in migrations():
            if current < version <= target:
                _apply(conn, version, path)
                conn.execute(
                    "INSERT INTO followup_meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(version),),
                )
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise DatabaseRefused(f"a migration left a broken reference in table {broken[0]}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _apply(conn: sqlite3.Connection, version: int, path: str) -> None:
    if path.endswith(".py"):
        import importlib.util  # noqa: PLC0415

        spec = importlib.util.spec_from_file_location(f"followup_migration_{version}", path)
        assert spec is not None
        assert spec.loader is not None
        step = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(step)
        step.apply(conn)
        return
    with open(path, encoding="utf-8") as f:
        for statement in statements(f.read()):
            conn.execute(statement)


def statements(script: str) -> list[str]:
    """Split a migration into statements (``executescript`` would commit on its own)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in migration: {current.strip()[:60]}")
    return statements


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
