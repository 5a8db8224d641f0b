"""The command line as a real process: start-up stays light, output is real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FOLLOWUP = str(Path(sys.executable).parent / "followup")
HEAVY = ("rich", "jinja2", "holidays", "phonenumbers", "email_validator", "platformdirs")
WEB = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic", "httpx")
SERVER = (
    "psycopg",
    "psycopg_binary",
    "argon2",
    "_argon2_cffi_bindings",
    "cryptography",
    "procrastinate",
)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FOLLOWUP, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def loaded_modules(code: str, whole: bool = False) -> set[str]:
    """The packages ``code`` loads (``whole``: every module, by its full name)."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = json.loads(out.splitlines()[-1])
    return set(names) if whole else {m.split(".")[0] for m in names}


def test_importing_the_cli_loads_no_web_stack_and_nothing_heavy() -> None:
    modules = loaded_modules("import followup.entrypoints.cli")
    assert not modules & set(WEB)
    assert not modules & set(SERVER)
    assert not modules & set(HEAVY)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("proc") / "demo.db")
    result = run("--db", db, "demo")
    assert result.returncode == 0, result.stderr
    assert "Overdue" in result.stdout
    return db


def test_today_reads_the_plan_without_heavy_imports(demo_db: str) -> None:
    code = (
        "from followup.entrypoints.cli import cli\n"
        f"try:\n    cli(['--db', {demo_db!r}, 'today'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    modules = loaded_modules(code)
    assert not modules & set(HEAVY), modules & set(HEAVY)
    assert not modules & set(WEB)
    assert not modules & set(SERVER)
    # Issue 12: the Insights figures load when figures are asked for, not at every start.
    assert "followup.domain.insights" not in loaded_modules(code, whole=True)


def imported_by(*args: str) -> set[str]:
    """Every module the ``followup`` program imports to run ``args``, by its full name.

    The installed script itself runs (its ``main``, as a user's shell runs it), under
    ``python -X importtime``, which names each module on stderr as it is first imported.
    """
    result = subprocess.run(
        [sys.executable, "-X", "importtime", FOLLOWUP, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


#: What no plan read or single write needs (issue 12: a command pays only for what it
#: uses): the web and server stacks, the mail code, the file formats, the figures.
NOT_ON_THE_COMMAND_LINE_PATH = (
    *HEAVY,
    *WEB,
    *SERVER,
    "openpyxl",
    "icalendar",
    "email",  # the standard library's mail parsing and the SMTP/IMAP adapters
    "ssl",
    "smtplib",
    "imaplib",
    "followup.adapters.smtp",
    "followup.adapters.imap",
    "followup.domain.mailbox",
    "followup.domain.insights",
    "followup.domain.agenda",
    "followup.domain.digest",
    "followup.domain.search",
    "followup.formats.sheets",
)
#: What a read of Today needs neither: the planner's rules (the stored plan is read), a
#: write's history, its fingerprints (OpenSSL's hashes), the interchange format, pathlib,
#: the calendar of business days (only a re-plan counts them), the ports (types only),
#: what lists and calendars show.
NOT_ON_TODAYS_PATH = (
    "followup.domain.calendar",
    "followup.domain.listed",
    "followup.services.ports",
    "followup.domain.planner",
    "followup.domain.follow_up",
    "followup.domain.drafts",
    "followup.domain.history",
    "followup.formats.history",
    "followup.formats.interchange",
    "hashlib",
    "pathlib",
    "random",
)


def test_today_imports_only_what_it_shows(demo_db: str) -> None:
    """Issue 12's aim (``followup today`` within 80 ms at any size) is mostly start-up:
    a guard on what is imported, which noise on a busy machine cannot fool."""
    loaded = imported_by("--db", demo_db, "today")
    assert "followup.services.planning" in loaded, "the check must see the command's modules"
    assert {"followup.adapters.sqlite.stored_plan", "followup.domain.reading"} <= loaded
    assert not {
        name
        for name in loaded
        for banned in (*NOT_ON_THE_COMMAND_LINE_PATH, *NOT_ON_TODAYS_PATH)
        if name == banned or name.startswith(banned + ".")
    }


#: What a write needs not either: OpenSSL's hashes (``hashlib`` loads libcrypto for them;
#: the history's fingerprint is BLAKE2, built into Python), the ports (types only), what
#: lists and calendars show, the commands that list applications.
NOT_ON_A_WRITES_PATH = (
    "hashlib",
    "_hashlib",
    "followup.services.ports",
    "followup.domain.listed",
    "followup.entrypoints.cli.applications",
)


def test_a_write_imports_only_what_it_changes(demo_db: str, tmp_path: Path) -> None:
    """A write with its re-plan (``log``, as ``make bench`` times it) loads the history
    and the planner, but neither the mail code nor the figures nor the file formats."""
    db = tmp_path / "write.db"
    db.write_bytes(Path(demo_db).read_bytes())
    loaded = imported_by("--db", str(db), "log", "acme-backend", "no_answer")
    assert {"followup.domain.planner", "followup.formats.history"} <= loaded
    assert not {
        name
        for name in loaded
        for banned in (*NOT_ON_THE_COMMAND_LINE_PATH, *NOT_ON_A_WRITES_PATH)
        if name == banned or name.startswith(banned + ".")
    }


def test_the_collector_leaves_the_start_up_alone() -> None:
    """Importing the command line and a write's modules runs the cyclic collector at most
    once or twice (at CPython's threshold of 700 it ran about 25 times over the modules
    being loaded, for nothing: 3 ms of ``followup today``, issue 12)."""
    code = (
        "import gc\n"
        "before = gc.get_stats()[0]['collections']\n"
        "import followup.entrypoints.cli, followup.entrypoints.cli.plan\n"
        "import followup.entrypoints.cli.touches, followup.bootstrap\n"
        "print(gc.get_stats()[0]['collections'] - before)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert int(out) <= 2


def test_today_as_a_process(demo_db: str) -> None:
    result = run("--db", demo_db, "today", "--json")
    assert result.returncode == 0
    plan = json.loads(result.stdout)
    assert {a["kind"] for a in plan["actions"]} >= {"apply_more", "thank_you_email"}
    env_result = run("today", env={"FOLLOWUP_DB": demo_db})
    assert env_result.returncode == 0
    assert "Overdue" in env_result.stdout


def test_a_bad_database_in_a_real_process(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    result = run("--db", str(notes), "today")
    assert result.returncode == 6
    assert result.stderr.startswith("followup: ")
    assert "Traceback" not in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("followup, version")
    assert "Plan the follow-ups" in run("--help").stdout
