"""The rules at the command line, as a user's probe of session 9 found them wanting."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli import User

NOW = "2026-11-29T10:00:00+00:00"  # a Sunday


def accepted_elsewhere(tmp_path: Path) -> User:
    """Two live applications at Acme (one HR contact) and an offer accepted at Globex."""
    user = User(tmp_path / "f.db", now=NOW)
    user.run("config", "set", "timezone", "Europe/Lisbon")
    for company, position in (("Acme", "Dev"), ("Acme", "Ops"), ("Globex", "PM")):
        user.run("add", company, position, "--applied", "2026-11-20")
    user.run("contact", "add", "acme-dev", "Rui", "--role", "hr", "--email", "rui@acme.example",
             "--confirmed")  # fmt: skip
    user.run("status", "globex-pm", "accepted")
    return user


def test_r20_withdrawals_at_one_company_do_not_warn_of_r13(tmp_path: Path) -> None:
    """R20 makes every withdrawal due today and step 8 does not space them: the second
    one, the same day at the same company, is no follow-up too many (R13)."""
    user = accepted_elsewhere(tmp_path)
    first = user.run("done", "status:acme-dev")
    second = user.run("done", "status:acme-ops")
    assert "R13" not in first.stderr + second.stderr
    assert "acme-ops is now withdrawn." in second.stdout


def test_r20_a_withdrawal_logged_by_hand_does_not_warn_of_r13_either(tmp_path: Path) -> None:
    user = accepted_elsewhere(tmp_path)
    user.run("done", "status:acme-dev")
    assert user.json("log", "acme-ops", "sent")["warnings"] == []
