"""Migrations are immutable, and every schema that shipped migrates with its data intact.

The fixtures ``tests/fixtures/schemas/schemaN.db`` were made by the code of the time
(``python -m tests.make_schema_fixtures``): the demo job search plus one application.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from followup.adapters.sqlite.database import LATEST_VERSION, migrations
from followup.adapters.sqlite.store import SqliteStore
from tests.integration.test_database_files import SCHEMA_FILE, schema

FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
FOLLOWUP = str(Path(sys.executable).parent / "followup")

#: Each landed migration's SHA-256. A landed migration is never edited: a database made
#: before the edit keeps the old text forever (0002 was edited once, see 0010). Add a
#: new migration instead, and its hash here.
LANDED = {
    "0001_records.sql": "4135323bc4c5ea0915e3173029107d78ee564e4a5fc2407a17f867850677c8e3",
    "0002_stored_plan.sql": "70e5f35cbf54c4a231c527af910e995196519177b136a6a41b25db4309785cb3",
    "0003_holiday_cache.sql": "0463df772c0c9192c88365f551defa2cba6fe38ea9d48f77f2eead8c74a67f4e",
    "0004_listing_indexes.sql": "abcb82def79d5b5e67c839e0ac77b4c13195df60f6c046dc73691bfcd130d929",
    "0005_plan_boundaries.sql": "94c5406bc0c267de43bf425b38f26cc9367d3b961a2e7e043de05d9862ef03c7",
    "0006_mail.sql": "b9bd9863cdf31059cbfe65728d22539e0548ba49788f35e0f3155d6f4b0769b5",
    "0007_calendar_digest.sql": "af757d9fee53a0fe89be7c61696fb0235aee40b0164964b671910dcb12a4fee7",
    "0008_corrections.sql": "41bb9208b136fd1dcbe87ddb76a49ef21c24224b1c63da28866616985e4b86c5",
    "0009_email_failing.sql": "f27ac2de6545ab3710774ea9f83dd7deee75abaac87385dda6e27682613e575f",
    "0010_first_release_repair.py": "32a9fc0aabfd596901a945738eff7f75d3b789b286bee4b922bebbba9ec75be1",
    "0012_search.sql": "6eadff341ce7a9ac6a05c8ef9b79f1176660617e9d890a99e76c197f280c81b2",
    "0011_plan_lines.sql": "98eb0af158b7b1ddec1d91348b609e9b57cdf4dc0d2a1987c8fb271726bde8bc",
}
SHIPPED = sorted(int(p.stem.removeprefix("schema")) for p in FIXTURES.glob("schema*.db"))


def test_every_migration_file_is_pinned_and_unchanged() -> None:
    found = {os.path.basename(path): path for _, path in migrations()}
    assert sorted(found) == sorted(LANDED), "pin a new migration's SHA-256 in LANDED"
    for name, path in found.items():
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        assert digest == LANDED[name], f"{name} changed after it landed: add a new migration"


def test_there_is_a_fixture_for_every_schema_that_shipped() -> None:
    # Schema 1 never shipped alone (the first release had 0002); the latest has no past.
    # Numbers may skip (one reserved for work landing in another order).
    past = [v for v, _ in migrations() if 2 <= v < LATEST_VERSION]
    assert past == SHIPPED, "python -m tests.make_schema_fixtures"


def _records(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The user's records, read with plain SQL (columns every schema has)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        queries = {
            "application": "SELECT id, company, position, status, applied_on FROM application",
            "contact": "SELECT application_id, id, name, role, email, phone FROM contact",
            "interview": "SELECT application_id, id, at, at_offset FROM interview",
            "interviewer": "SELECT application_id, interview_id, contact_id FROM interviewer",
            "touch": "SELECT application_id, id, at, channel, purpose, outcome FROM touch",
            "dismissal": "SELECT application_id, action_id FROM dismissal",
            "setting": "SELECT key, value FROM setting",
        }
        return {t: sorted(conn.execute(q).fetchall()) for t, q in queries.items()}
    finally:
        conn.close()


def _followup(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FOLLOWUP, "--db", str(db), *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("version", SHIPPED)
def test_a_database_of_each_past_schema_migrates_with_its_data(
    tmp_path: Path, version: int
) -> None:
    fixture = FIXTURES / f"schema{version}.db"
    db = tmp_path / "old.db"
    shutil.copyfile(fixture, db)
    before = _records(db)
    assert ("fixture-works-schema-tester", "Fixture Works", "Schema Tester", "active",
            "2026-03-02") in before["application"]  # fmt: skip
    today = _followup(db, "today")
    assert today.returncode == 0, today.stderr
    doctor = _followup(db, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "All good: 6 application(s)" in doctor.stdout
    assert _records(db) == before
    conn = sqlite3.connect(db)
    assert schema(conn) == SCHEMA_FILE.read_text()
    assert conn.execute("SELECT value FROM followup_meta WHERE key = 'schema_version'").fetchone()[
        0
    ] == str(LATEST_VERSION)
    conn.close()
    shown = _followup(db, "show", "fixture-works-schema-tester")
    assert "Schema Tester" in shown.stdout
    _search_finds_what_was_there(db, before)


def _search_finds_what_was_there(db: Path, before: dict[str, list[tuple[object, ...]]]) -> None:
    """Migration 0012 indexed the existing applications: search finds them by each field."""
    store = SqliteStore(str(db))
    try:
        with store.reading() as repo:

            def found(query: str) -> list[str]:
                return [x.id for x in repo.search(query, None, "company", 100, 0)[0]]

            assert found("fixture schema") == ["fixture-works-schema-tester"]
            assert found("Schema Test") == ["fixture-works-schema-tester"]
            for app_id, _, name, _, email, _ in before["contact"]:
                assert app_id in found(str(name)), name
                if email:
                    assert app_id in found(str(email)), email
            for app_id, company, position, *_ in before["application"]:
                assert app_id in found(f"{company} {position}")
    finally:
        store.close()


def test_the_first_release_is_repaired_not_just_renumbered(tmp_path: Path) -> None:
    """Schema 2 as first shipped lacked ``exact_from``: every command failed after migrating."""
    db = tmp_path / "first.db"
    shutil.copyfile(FIXTURES / "schema2.db", db)
    conn = sqlite3.connect(db)
    assert "exact_from" not in {r[1] for r in conn.execute("PRAGMA table_info(plan_application)")}
    conn.close()
    log = _followup(db, "log", "fixture-works-schema-tester", "sent")
    assert log.returncode == 0, log.stderr
    conn = sqlite3.connect(db)
    assert "exact_from" in {r[1] for r in conn.execute("PRAGMA table_info(plan_application)")}
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_list_lines_of_a_migrated_plan_are_read_from_the_body_it_had(tmp_path: Path) -> None:
    """0011 fills the new line columns of every stored row from its JSON body: a list line
    read from the columns is the stored action but its script, steps and borrowed contact."""
    db = tmp_path / "ten.db"
    shutil.copyfile(FIXTURES / "schema10.db", db)
    conn = sqlite3.connect(db)
    (newest,) = conn.execute("SELECT max(exact_from) FROM plan_application").fetchone()
    conn.close()
    store = SqliteStore(str(db))
    now = datetime.fromisoformat(newest) + timedelta(days=1)
    try:
        with store.reading() as repo:
            whole = list(repo.due_in_order(now, date.min, date.max))
            lines = list(repo.due_in_order(now, date.min, date.max, lines=True))
    finally:
        store.close()
    assert len(whole) >= 5
    assert any(a.window is not None for a in whole)
    assert lines == [replace(a, script=(), steps=(), contact_application=None) for a in whole]
