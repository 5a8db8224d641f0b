"""Opening database files: create privately, refuse what is not ours untouched, migrate."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from followup import bootstrap
from followup.adapters.sqlite import database
from followup.adapters.sqlite.database import APPLICATION_ID, LATEST_VERSION, connect, migrations
from followup.adapters.sqlite.store import SqliteStore
from followup.errors import DatabaseBusy, DatabaseRefused
from followup.services import applications

SCHEMA_FILE = Path(__file__).parent / "expected_schema.sql"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema(conn: sqlite3.Connection) -> str:
    """The schema as SQLite reports it, in a stable order."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    return "\n".join(f"-- {t} {n}\n{sql};" for t, n, sql in rows) + "\n"


def test_latest_version_matches_the_migration_files() -> None:
    """Numbered in order, once each; a number may be skipped (taken by work landing in
    another order: the next one is then numbered past it)."""
    versions = [v for v, _ in migrations()]
    assert versions == sorted(set(versions))
    assert versions[0] == 1
    assert versions[-1] == LATEST_VERSION


def test_a_new_database_has_exactly_the_expected_schema(tmp_path: Path) -> None:
    conn, meta = connect(str(tmp_path / "new.db"))
    assert meta["schema_version"] == str(LATEST_VERSION)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema(conn) == SCHEMA_FILE.read_text(), "run tests/update_schema.py after a migration"
    conn.close()


def test_a_new_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "f.db"
    connect(str(path))[0].close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    connect(str(path))[0].close()
    assert digest(path) != hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    "content", [b"name,company\nAna,Acme\n", b"SQLite format 2\x00" + b"\x00" * 100, b"\x00" * 4096]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseRefused, match="not a followup database"):
        connect(str(path))
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    other.commit()
    other.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="another program"):
        connect(str(path))
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseRefused, match="directory"):
        connect(str(tmp_path))


def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn, _ = connect(str(path))
    conn.execute("UPDATE followup_meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="newer followup"):
        connect(str(path))
    assert digest(path) == before


def _database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database as an older release left it: migrations up to ``version``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    database.migrate(conn, 0, version)
    return conn


@pytest.mark.parametrize("version", [v for v, _ in migrations()][:-1])
def test_every_earlier_schema_migrates_keeping_every_row(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    old = _database_at(path, version)
    old.execute("INSERT INTO setting (key, value) VALUES ('timezone', '\"Europe/Lisbon\"')")
    old.execute(
        "INSERT INTO application (id, company, company_key, position, status, recorded_on)"
        " VALUES ('acme', 'Acme', 'acme', 'Dev', 'active', '2026-03-01')"
    )
    old.execute(
        "INSERT INTO contact (application_id, id, seq, name, role, email, name_confirmed)"
        " VALUES ('acme', 'ana', 0, 'Ana', 'interviewer', 'ana@acme.example', 1)"
    )
    old.execute(
        "INSERT INTO interview (application_id, id, seq, at, at_offset, contacts_every_applicant,"
        " direct_contact_ok) VALUES ('acme', 'iv1', 0, '2026-03-02T10:00:00.000000+00:00', 0, 1, 1)"
    )
    old.execute(
        "INSERT INTO interviewer (application_id, interview_id, seq, contact_id) VALUES ('acme', 'iv1', 0, 'ana')"
    )
    old.close()
    conn, meta = connect(str(path))
    assert meta["schema_version"] == str(LATEST_VERSION)
    assert schema(conn) == SCHEMA_FILE.read_text()
    searched = conn.execute(  # migration 0012 indexed the rows that were there
        "SELECT k.application_id FROM application_search AS s JOIN application_search_key AS k"
        ' ON k.id = s.rowid WHERE application_search MATCH \'"acme"* "ana"* "dev"*\''
    ).fetchall()
    assert searched == [("acme",)]
    conn.close()
    backups = [p for p in tmp_path.iterdir() if p.name.startswith(f"old.db.schema{version}-")]
    assert len(backups) == 1
    backup = sqlite3.connect(backups[0])
    assert backup.execute(
        "SELECT value FROM followup_meta WHERE key='schema_version'"
    ).fetchone() == (str(version),)
    backup.close()
    # The services see every row, and re-plan them under the new planner.
    deps = bootstrap.build(str(path))
    app = applications.get_application(deps, "acme", deps.clock.now())
    assert app.application.contacts[0].name == "Ana"
    assert app.application.interviews[0].interviewers == ("ana",)
    assert "status_email" in [a.kind.value for a in app.actions]


def test_a_busy_database_says_so(tmp_path: Path) -> None:
    path = str(tmp_path / "busy.db")
    connect(path)[0].close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    store = SqliteStore(path)
    store.conn.execute(f"PRAGMA busy_timeout = {50}")
    store.write_wait = 0.2
    with pytest.raises(DatabaseBusy, match="busy"), store.writing():
        pass
    blocker.execute("ROLLBACK")
    blocker.close()
    store.close()


def test_the_default_database_lives_in_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert bootstrap.database_path() == str(tmp_path / "xdg" / "followup" / "followup.db")
    monkeypatch.setenv("FOLLOWUP_DB", str(tmp_path / "env.db"))
    assert bootstrap.database_path() == str(tmp_path / "env.db")
    assert bootstrap.database_path("given.db") == "given.db"


def test_a_new_database_takes_the_machines_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    deps = bootstrap.build(str(tmp_path / "tz.db"))
    with deps.store.reading() as repo:
        assert repo.load_settings().timezone == "America/New_York"
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    deps = bootstrap.build(str(tmp_path / "tz.db"))
    with deps.store.reading() as repo:
        assert repo.load_settings().timezone == "America/New_York"
    assert os.path.exists(tmp_path / "tz.db")
