"""Corrections that make a duplicate ask as `add` does, and a touch corrected into breaking
R13 warns as `log` does (the user's probe of session 9, finding 12, and what it left).

A question needs a terminal: without one the command is refused (exit 8) unless `--yes`,
and nothing is written when the answer is no.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.entrypoints.cli.base import Env
from tests.e2e.cli import User

NOW = "2026-11-29T10:00:00+00:00"  # a Sunday


@pytest.fixture
def user(tmp_path: Path) -> User:
    """Acme: Data Engineer and Backend Engineer; Eva (HR) at the first."""
    user = User(tmp_path / "d.db", now=NOW)
    user.run("config", "set", "timezone", "Europe/Lisbon")
    user.run("add", "Acme", "Data Engineer", "--applied", "2026-11-02")
    user.run("add", "Acme", "Backend Engineer", "--applied", "2026-11-02")
    user.run("contact", "add", "acme-data-engineer", "Eva Lima", "--role", "hr",
             "--email", "eva@acme.example", "--confirmed")  # fmt: skip
    return user


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone is at a terminal to answer (the in-process runner's stdin is not a tty)."""
    monkeypatch.setattr(Env, "interactive", property(lambda self: True))


def export(user: User) -> str:
    return str(user.run("export").stdout)


# --- edit into a duplicate ------------------------------------------------------------------


def test_an_edit_into_a_duplicate_without_a_terminal_is_refused(user: User) -> None:
    before = export(user)
    refused = user.run(
        "edit", "acme-data-engineer", "--company", " ACME ", "--position", "backend engineer",
        ok=False,
    )  # fmt: skip
    assert refused.exit_code == 8
    assert refused.stderr == (
        "followup: acme-backend-engineer is already an application at Acme for Backend "
        "Engineer; pass --yes to save it anyway\n"
    )
    assert export(user) == before
    saved = user.run("edit", "acme-data-engineer", "--position", "Backend Engineer", "--yes")
    assert "Saved acme-data-engineer." in saved.stdout
    assert user.json("show", "acme-data-engineer")["position"] == "Backend Engineer"


@pytest.mark.usefixtures("terminal")
def test_an_edit_into_a_duplicate_on_a_terminal_asks(user: User) -> None:
    before = export(user)
    kept = user.run("edit", "acme-data-engineer", "--position", "Backend Engineer", input="n\n")
    assert (
        "acme-backend-engineer is already an application at Acme for Backend Engineer. "
        "Save it anyway? [y/N]"
    ) in kept.stdout
    assert "Not saved: see followup show acme-backend-engineer" in kept.stdout
    assert export(user) == before
    saved = user.run("edit", "acme-data-engineer", "--position", "Backend Engineer", input="y\n")
    assert "Saved acme-data-engineer." in saved.stdout


def test_an_edit_that_keeps_company_and_position_does_not_ask(user: User) -> None:
    """A duplicate added on purpose (--yes) is not asked about again at each correction,
    and neither is a change of case or spacing of its own name."""
    user.run("add", "Acme", "Backend Engineer", "--yes")
    user.run("edit", "acme-backend-engineer-2", "--notes", "the second opening")
    user.run("edit", "acme-data-engineer", "--company", "ACME", "--position", "data engineer")
    assert user.json("show", "acme-data-engineer")["company"] == "ACME"


# --- a contact's name already there ---------------------------------------------------------


def test_a_contact_named_as_one_already_there_is_refused_without_a_terminal(user: User) -> None:
    before = export(user)
    refused = user.run("contact", "add", "acme-data-engineer", "eva  lima", "--confirmed", ok=False)
    assert refused.exit_code == 8
    assert refused.stderr == (
        "followup: acme-data-engineer already has a contact named Eva Lima (eva-lima); "
        "pass --yes to add it anyway\n"
    )
    assert export(user) == before
    added = user.json("contact", "add", "acme-data-engineer", "Eva Lima", "--confirmed", "--yes")
    assert added["id"] == "eva-lima-2"
    # The same name at another application of the company is another record: no question.
    user.run("contact", "add", "acme-backend-engineer", "Eva Lima", "--confirmed")


@pytest.mark.usefixtures("terminal")
def test_a_contact_named_as_one_already_there_asks_on_a_terminal(user: User) -> None:
    before = export(user)
    kept = user.run("contact", "add", "acme-data-engineer", "Eva Lima", "--confirmed", input="n\n")
    assert (
        "acme-data-engineer already has a contact named Eva Lima (eva-lima). Add it anyway? [y/N]"
    ) in kept.stdout
    assert "Not added: see followup show acme-data-engineer" in kept.stdout
    assert export(user) == before


def test_a_contact_renamed_as_another_one_asks(user: User) -> None:
    user.run("contact", "add", "acme-data-engineer", "Rui", "--confirmed")
    before = export(user)
    refused = user.run(
        "contact", "edit", "acme-data-engineer", "rui", "--name", "EVA LIMA", ok=False
    )
    assert refused.exit_code == 8
    assert refused.stderr == (
        "followup: acme-data-engineer already has a contact named Eva Lima (eva-lima); "
        "pass --yes to save it anyway\n"
    )
    assert export(user) == before
    # Its own name, spelled anew, is no duplicate.
    user.run("contact", "edit", "acme-data-engineer", "eva-lima", "--name", "Eva  Lima")
    user.run("contact", "edit", "acme-data-engineer", "rui", "--name", "Eva Lima", "--yes")


# --- touch edit and R13 ---------------------------------------------------------------------


R13 = (
    "Warning: R13: you already followed up with Acme on Tue 24 Nov 2026 "
    "(acme-data-engineer); following up once a week is plenty. Recorded anyway."
)


def test_a_touch_moved_into_r13s_week_warns_as_log_does(user: User) -> None:
    user.run("log", "acme-data-engineer", "sent", "--at", "2026-11-24 10:00")
    logged = user.run("log", "acme-backend-engineer", "sent", "--at", "2026-11-12 10:00")
    assert "R13" not in logged.stderr
    moved = user.run("touch", "edit", "acme-backend-engineer", "t1", "--at", "2026-11-26 10:00")
    assert R13 in moved.stderr
    again = user.json("touch", "edit", "acme-backend-engineer", "t1", "--at", "2026-11-25 9:00")
    assert again["warnings"] == [R13.removeprefix("Warning: ")]
    # A correction of its notes changes nothing R13 counts: no word of it again.
    notes = user.run("touch", "edit", "acme-backend-engineer", "t1", "--notes", "sent the CV")
    assert "R13" not in notes.stderr
    assert (
        user.json("touch", "edit", "acme-backend-engineer", "t1", "--notes", "x")["warnings"] == []
    )


def test_a_touch_moved_out_of_r13s_week_does_not_warn(user: User) -> None:
    user.run("log", "acme-data-engineer", "sent", "--at", "2026-11-24 10:00")
    user.run("log", "acme-backend-engineer", "sent", "--at", "2026-11-25 10:00")
    moved = user.run("touch", "edit", "acme-backend-engineer", "t1", "--at", "2026-11-12 10:00")
    assert "R13" not in moved.stderr


# --- a debrief naming a contact already there -------------------------------------------------


def test_a_debrief_naming_a_known_contact_makes_them_the_interviewer(user: User) -> None:
    """The seeker's morning: Eva, already a contact with her email, interviewed them. Named
    in the debrief, she is that contact (no unconfirmed `eva-lima-2` without details, which
    kept the debrief due, R2); details given there fill in hers, and her confirmed spelling
    stays confirmed."""
    app = "acme-data-engineer"
    user.run("interview", app, "2026-11-25 10:00")
    user.run("debrief", app, "--interviewer", " eva  LIMA", "--every-applicant", "yes",
             "--direct", "yes")  # fmt: skip
    shown = user.json("show", app)
    assert [c["id"] for c in shown["contacts"]] == ["eva-lima"]
    assert shown["contacts"][0]["name_confirmed"] is True
    assert shown["interviews"][0]["interviewers"] == ["eva-lima"]
    assert not [a for a in shown["actions"] if a["kind"] == "debrief"]
