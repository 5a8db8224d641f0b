"""``kill -9`` during an import or a migration leaves the database whole: before or after.

``make test`` kills a few; ``make soak`` (``FOLLOWUP_SOAK=1``) 100 imports and 100
migrations. Each kill lands at a random moment of a real ``followup`` process; only the
kills that land while it runs are counted (the others are tried again).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bench.run import document

from followup.adapters.sqlite.database import LATEST_VERSION
from tests.integration.test_database_files import SCHEMA_FILE, schema

FOLLOWUP = str(Path(sys.executable).parent / "followup")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
KILLS = 100 if os.environ.get("FOLLOWUP_SOAK") else 3
IMPORTED = 2000


def followup(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FOLLOWUP, "--db", str(db), *args], capture_output=True, text=True, timeout=120, check=False
    )


def killed(db: Path, *args: str, within: float) -> bool:
    """Run followup and ``kill -9`` it after a random moment; whether it was still running."""
    process = subprocess.Popen(
        [FOLLOWUP, "--db", str(db), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(random.uniform(0.0, within))
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return running


def lasts(db: Path, *args: str) -> float:
    """How long followup takes to run ``args`` to the end here, in seconds: the kills are
    spread over that, so they land while it runs however fast the machine is."""
    start = time.perf_counter()
    assert followup(db, *args).returncode == 0
    return time.perf_counter() - start


def whole(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "search.json"
    path.write_text(json.dumps(document(IMPORTED)))
    return path


def test_kill_9_during_imports_leaves_all_or_nothing(tmp_path: Path, big_file: Path) -> None:
    scratch = tmp_path / "timed.db"
    assert followup(scratch, "add", "Acme", "Dev").returncode == 0
    duration = lasts(scratch, "import", str(big_file))
    interrupted = tried = 0
    for i in range(5 * KILLS):
        if interrupted == KILLS:
            break
        tried += 1
        db = tmp_path / f"import{i}.db"
        assert followup(db, "add", "Acme", "Dev").returncode == 0
        interrupted += killed(db, "import", str(big_file), within=0.9 * duration)
        conn = whole(db)
        (apps,) = conn.execute("SELECT count(*) FROM application").fetchone()
        conn.close()
        assert apps in (1, 1 + IMPORTED), f"a half-written import: {apps} applications"
        out = followup(db, "doctor")
        assert out.returncode == 0, out.stdout + out.stderr
        db.unlink()
    print(f"imports: {tried} killed, {interrupted} while running, 0 corrupt, 0 half-written")
    assert interrupted == KILLS, "too few kills landed while the import ran"


def test_kill_9_during_migrations_leaves_the_old_or_the_new_schema(tmp_path: Path) -> None:
    scratch = tmp_path / "timed.db"
    shutil.copyfile(FIXTURES / "schema2.db", scratch)
    duration = lasts(scratch, "today")
    interrupted = tried = 0
    for i in range(5 * KILLS):
        if interrupted == KILLS:
            break
        tried += 1
        version = 2 + i % (LATEST_VERSION - 2)
        db = tmp_path / f"old{i}.db"
        shutil.copyfile(FIXTURES / f"schema{version}.db", db)
        interrupted += killed(db, "today", within=0.9 * duration)
        conn = whole(db)
        (found,) = conn.execute(
            "SELECT value FROM followup_meta WHERE key = 'schema_version'"
        ).fetchone()
        (apps,) = conn.execute("SELECT count(*) FROM application").fetchone()
        conn.close()
        assert found in (str(version), str(LATEST_VERSION))
        assert apps == 6
        out = followup(db, "doctor")
        assert out.returncode == 0, out.stdout + out.stderr
        conn = sqlite3.connect(db)
        assert schema(conn) == SCHEMA_FILE.read_text()
        conn.close()
    print(f"migrations: {tried} killed, {interrupted} while running, 0 corrupt, 0 half-migrated")
    assert interrupted == KILLS, "too few kills landed while followup ran"
