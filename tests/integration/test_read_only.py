"""A database this process may only read: reading works, a write says why it cannot.

The commands run as a real process. As root, permissions stop nothing, so the process
runs as ``nobody`` then; the files are made by the tests' user (root) and handed over.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.entrypoints import cli
from followup.errors import DatabaseReadOnly

FOLLOWUP = str(Path(sys.executable).parent / "followup")
FIXTURES = Path(__file__).parent.parent / "fixtures" / "schemas"
NOBODY = 65534
AS_ROOT = os.geteuid() == 0


#: As root, the command runs as nobody (util-linux's ``setpriv``).
AS_USER = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] if AS_ROOT else []


@pytest.fixture(scope="module", autouse=True)
def nobody_can_reach_followup() -> None:
    """As root, let ``nobody`` through the folders above followup and its Python.

    A checkout in a folder only root may enter (``mktemp -d`` makes one, mode 0700) would
    stop nobody before the command runs; each such folder gets the search (x) permission
    for others, nothing more: nothing becomes readable. It is not taken back, since the
    tests of this module may run in two workers at once, and one must not lock the other
    out.
    """
    if not AS_ROOT:
        return
    for target in (Path(FOLLOWUP), Path(sys.executable).resolve()):
        for parent in target.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                os.chmod(parent, (mode | 0o001) & 0o7777)


def followup(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AS_USER, FOLLOWUP, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"},
    )


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder the command's user owns (outside pytest's private tmp folders)."""
    path = Path(tempfile.mkdtemp(prefix="followup-ro-"))
    os.chmod(path, 0o755)
    own(path)
    yield path
    for p in [path, *path.rglob("*")]:
        os.chmod(p, 0o700)
    shutil.rmtree(path)


def own(path: Path) -> None:
    if AS_ROOT:
        os.chown(path, NOBODY, NOBODY)


@pytest.fixture
def job_search(folder: Path) -> Path:
    db = folder / "job.db"
    shutil.copyfile(FIXTURES / "schema9.db", db)
    own(db)
    assert followup(db, "doctor").returncode == 0  # migrated while writable
    for backup in folder.glob("*.bak"):
        backup.unlink()
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_read_works_and_write_is_refused(db: Path, why: str) -> None:
    before = digest(db)
    today = followup(db, "today", "--now", "2026-03-10")
    assert today.returncode == 0, today.stderr
    assert "Fixture Works" in followup(db, "list").stdout
    assert followup(db, "export", "-").returncode == 0
    add = followup(db, "add", "Acme", "Dev")
    assert add.returncode == DatabaseReadOnly.exit_code == 11
    assert add.stderr == f"followup: {db}: the database is read-only ({why}); nothing was written\n"
    assert followup(db, "log", "fixture-works-schema-tester", "sent").returncode == 11
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no -wal, -shm left


def test_a_read_only_file_is_read_and_a_write_says_read_only(job_search: Path) -> None:
    os.chmod(job_search, 0o444)
    assert_read_works_and_write_is_refused(job_search, "the file is not writable")


def test_a_read_only_folder_is_read_and_a_write_says_read_only(job_search: Path) -> None:
    os.chmod(job_search.parent, 0o555)
    assert_read_works_and_write_is_refused(
        job_search, f"its folder {job_search.parent} is not writable"
    )


def test_once_writable_again_the_file_takes_writes(job_search: Path) -> None:
    os.chmod(job_search, 0o444)
    assert followup(job_search, "today").returncode == 0
    os.chmod(job_search, 0o644)
    add = followup(job_search, "add", "Acme", "Dev")
    assert add.returncode == 0, add.stderr
    assert "Acme" in followup(job_search, "list").stdout


def test_a_read_only_database_that_needs_an_upgrade_says_so(folder: Path) -> None:
    db = folder / "old.db"
    shutil.copyfile(FIXTURES / "schema5.db", db)
    own(db)
    os.chmod(db, 0o444)
    before = digest(db)
    out = followup(db, "today")
    assert out.returncode == 11
    assert "needs an upgrade (schema 5 to" in out.stderr
    assert "read-only (the file is not writable)" in out.stderr
    assert digest(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["old.db"]  # not even a backup


def test_a_new_database_in_a_read_only_folder_says_so(folder: Path) -> None:
    os.chmod(folder, 0o555)
    out = followup(folder / "new.db", "today")
    assert out.returncode == 11
    assert (
        out.stderr
        == f"followup: {folder}/new.db: cannot be created: its folder {folder} is not writable\n"
    )


def test_the_exit_code_is_documented() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "`11` database read-only" in readme
    assert "11    database read-only" in (cli.__doc__ or "")
