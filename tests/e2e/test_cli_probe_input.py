"""Input the user's probe (session 9) found taken, or refused, the wrong way on the command line.

Each test names its finding in /work/notes/s9-probe.md's numbering.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.e2e.cli import User
from tests.e2e.test_cli_process import FOLLOWUP

#: Sunday 29 November 2026, 10:00 in Lisbon (UTC in winter).
NOW = "2026-11-29T10:00:00+00:00"


@pytest.fixture
def user(tmp_path: Path) -> User:
    user = User(tmp_path / "p.db", now=NOW)
    user.run("config", "set", "timezone", "Europe/Lisbon")
    user.run("add", "Zeta", "Dev", "--applied", "2026-11-02")
    user.run("contact", "add", "zeta-dev", "Eva", "--role", "hr", "--email", "e@z.example",
             "--confirmed")  # fmt: skip
    return user


def export(user: User) -> str:
    return user.run("export").stdout


# --- finding 3: a touch dated in the future -----------------------------------------------


def test_log_refuses_a_touch_dated_in_the_future(user: User) -> None:
    before = export(user)
    result = user.run("log", "zeta-dev", "sent", "--at", "2027-06-01 10:00", ok=False)
    assert result.exit_code == 4
    assert result.stderr.strip().splitlines() == [
        "followup: at: Tue 1 Jun 2027 10:00 is in the future (today is Sun 29 Nov 2026); "
        "record it once it has happened"
    ]
    assert export(user) == before


def test_log_takes_a_touch_later_today(user: User) -> None:
    """Counted by day, as an applied date is: a clock a little fast, or a time typed
    roughly, is no typo (and the synthetic searches of the benchmark log such touches)."""
    user.run("log", "zeta-dev", "sent", "--at", "2026-11-29 18:00")
    result = user.run("log", "zeta-dev", "sent", "--at", "2026-11-30 00:00", ok=False)
    assert result.exit_code == 4


def test_touch_edit_refuses_a_date_in_the_future(user: User) -> None:
    user.run("log", "zeta-dev", "sent")
    before = export(user)
    result = user.run("touch", "edit", "zeta-dev", "t1", "--at", "2026-12-25 10:00", ok=False)
    assert result.exit_code == 4
    assert "at: Fri 25 Dec 2026 10:00 is in the future" in result.stderr
    assert export(user) == before


def test_done_refuses_a_date_in_the_future(user: User) -> None:
    before = export(user)
    result = user.run("done", "status:zeta-dev", "--at", "2027-06-01 10:00", ok=False)
    assert result.exit_code == 4
    assert "at: Tue 1 Jun 2027 10:00 is in the future" in result.stderr
    assert export(user) == before


@pytest.mark.parametrize(
    ("app", "place"),
    [
        ({"applied_on": "2027-01-01"}, "applications[0].applied_on: Fri 1 Jan 2027 is in the future"),
        (
            {"touches": [
                {"at": "2026-11-20T10:00:00+00:00", "channel": "email", "purpose": "status",
                 "outcome": "sent"},
                {"at": "2027-06-01T10:00:00+00:00", "channel": "email", "purpose": "status",
                 "outcome": "sent"},
            ]},
            "applications[0].touches[1].at: Tue 1 Jun 2027 11:00 is in the future",
        ),
    ],
)  # fmt: skip
def test_an_import_refuses_dates_in_the_future(
    user: User, tmp_path: Path, app: dict[str, object], place: str
) -> None:
    """As the spreadsheet import does: the place named, exit 5, nothing imported."""
    document = {
        "format": "followup/1",
        "applications": [{"id": "new-one", "company": "Globex", "position": "Analyst", **app}],
    }
    (tmp_path / "future.json").write_text(json.dumps(document))
    before = export(user)
    result = user.run("import", str(tmp_path / "future.json"), ok=False)
    assert result.exit_code == 5
    assert place in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert export(user) == before


# --- finding 10: a question with no terminal to answer it ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("contact", "add", "zeta-dev", "Ana"),
        ("debrief", "zeta-dev"),
        ("call", "zeta-dev"),
    ],
)
def test_a_question_with_no_terminal_exits_8(user: User, args: tuple[str, ...]) -> None:
    """As ``add`` and ``delete`` do: refused (8), with what to do, nothing written; 130
    stays for a user who stops at a prompt (Ctrl-C)."""
    user.run("contact", "edit", "zeta-dev", "eva", "--phone", "+351 912 345 678")
    user.run("interview", "zeta-dev", "2026-11-20 10:00")
    before = export(user)
    result = user.run(*args, input="", ok=False)
    assert result.exit_code == 8, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "followup: a question was asked with no terminal to answer it (standard input "
        "ended): give the answer as an option (see --help); nothing was written"
    )
    assert export(user) == before


# --- finding 5: serve on a port already in use ---------------------------------------------


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path: Path) -> None:
    """Not "is serving" then uvicorn's own error and exit 3 (which means "not found")."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "FOLLOWUP_CONFIG_DIR": str(tmp_path / "config")}
        done = subprocess.run(
            [FOLLOWUP, "--db", str(tmp_path / "s.db"), "serve", "--port", str(port)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 4
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"followup: --port: {port} is already in use on 127.0.0.1 (another followup serve?): "
        "choose another port with --port"
    ]


# --- finding 6: an import that replaces settings says so ------------------------------------


def test_an_import_says_which_settings_it_changed(user: User, tmp_path: Path) -> None:
    user.run("config", "set", "application_follow_up_days", "0")
    document = {
        "format": "followup/1",
        "settings": {"timezone": "Europe/Berlin", "country": "DE",
                     "policy": {"application_follow_up_days": 14, "first_follow_up_days": 7}},
        "applications": [{"id": "globex-analyst", "company": "Globex", "position": "Analyst"}],
    }  # fmt: skip
    (tmp_path / "backup.json").write_text(json.dumps(document))
    out = user.run("import", str(tmp_path / "backup.json")).stdout.splitlines()
    assert out[:2] == [
        f"Imported {tmp_path / 'backup.json'}: 1 new, 0 updated, 0 unchanged application(s).",
        "Settings changed: timezone 'Europe/Lisbon' -> 'Europe/Berlin'; country (none) -> 'DE'; "
        "application_follow_up_days 0 -> 14.",
    ]
    (entry, *_) = user.json("history")
    assert entry["summary"] == (  # the file's name, not its folder
        "Imported backup.json: 1 new, 0 updated, 0 unchanged application(s); "
        "settings: "
        "timezone 'Europe/Lisbon' -> 'Europe/Berlin', country (none) -> 'DE', "
        "application_follow_up_days 0 -> 14"
    )
    again = user.json("import", str(tmp_path / "backup.json"))
    assert again["settings"] == []
    assert again["settings_changed"] is False


# --- finding 15: send --dry-run before mail is set up ---------------------------------------


def test_send_dry_run_previews_before_mail_is_set_up(user: User) -> None:
    result = user.run("send", "status:zeta-dev", "--dry-run")
    assert "From: you@address-not-set.invalid" in result.stdout
    assert "To: Eva <e@z.example>" in result.stdout
    assert result.stderr.strip() == (
        "followup: note: your address is not set, so From is a stand-in; before sending: "
        "followup config set mail.address YOU@EXAMPLE"
    )
    refused = user.run("send", "status:zeta-dev", "--yes", ok=False)
    assert refused.exit_code == 4
    assert "set your address first" in refused.stderr


# --- finding 12: input echoed as stored ----------------------------------------------------


def test_add_echoes_the_application_as_stored(user: User) -> None:
    out = user.run("add", " ACME ", "Data Engineer ").stdout
    assert out.splitlines()[0] == "Added acme-data-engineer: ACME, Data Engineer."


# --- finding 14: the spreadsheet dry run shows what it would record -------------------------


def test_a_sheet_dry_run_shows_the_status_it_would_keep(user: User, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("Company,Position,Status\nzeta ,dev,Rejected\nGlobex,Analyst,Rejected\n")
    out = user.run("import", str(sheet), "--dry-run").stdout
    rows = [line.split() for line in out.splitlines() if line.lstrip()[:1].isdigit()]
    assert rows == [
        ["2", "Zeta", "Dev", "active", "2026-11-02"],  # as stored: the sheet gave neither
        ["3", "Globex", "Analyst", "rejected"],
    ]
    assert "Would add 1, complete 0 and leave 1 unchanged" in out
    first = user.json("import", str(sheet), "--dry-run")["first_rows"]
    assert [(r["company"], r["status"]) for r in first] == [
        ("Zeta", "active"),
        ("Globex", "rejected"),
    ]
