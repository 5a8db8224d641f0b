"""Templates the user overrides, settings, listings, and output on a real terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from followup.domain.mailbox import MAIL_KEYS
from followup.domain.policy import POLICY_KEYS
from tests.e2e.cli import APP, User, interviewed

THANK_YOU = f"thank_you_email:{APP}:iv1:ana-sousa"


@pytest.fixture
def user(tmp_path: Path) -> User:
    return interviewed(
        tmp_path / "t.db",
        "2026-03-05T09:00:00+00:00",
        "2026-03-03 10:00",
        "--email",
        "ana@acme.example",
    )


def test_a_template_in_the_config_dir_replaces_the_built_in_one(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "thank_you.txt.j2").write_text(
        "Subject: Thanks, {{ to_name }}\n\nHello {{ to_name }}, thanks for {{ interview_day }} at {{ company }}.\n"
    )
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(tmp_path / "config"))
    draft = user.json("draft", THANK_YOU)
    assert draft["subject"] == "Thanks, Ana Sousa"
    assert draft["body"] == "Hello Ana Sousa, thanks for Tue 3 Mar 2026 at Acme.\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Subject: Hi {{ nickname }}\n\nBody\n", "'nickname' is undefined"),
        ("Hello\n\nBody\n", "the first line must be 'Subject: ...'"),
        ("Subject: {{ company.__class__ }}\n\nx\n", "email template thank_you.txt.j2"),
    ],
)
def test_a_broken_template_is_a_clear_error(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str, message: str
) -> None:
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "thank_you.txt.j2").write_text(template)
    monkeypatch.setenv("FOLLOWUP_CONFIG_DIR", str(tmp_path / "config"))
    result = user.run("draft", THANK_YOU, ok=False)
    assert result.exit_code == 4
    assert message in result.stderr


def test_a_call_has_no_draft_and_an_email_has_no_script(user: User) -> None:
    assert "Dear Ana Sousa" in user.json("draft", f"status:{APP}")["body"]  # no phone: an email
    user.run("contact", "edit", APP, "ana-sousa", "--phone", "+351 912 345 678")
    result = user.run("draft", f"status:{APP}", ok=False)
    assert result.exit_code == 8
    assert user.json("script", THANK_YOU)["script"] == []


def test_config_show_lists_every_setting(user: User) -> None:
    shown = user.json("config", "show")
    assert set(shown) == {"timezone", "country", "name", *POLICY_KEYS, *MAIL_KEYS}
    assert shown["first_follow_up_days"] == 7
    user.run("config", "set", "first_follow_up_days", "5")
    assert user.json("config", "show")["first_follow_up_days"] == 5
    assert "R13" in user.run("config", "show").stdout


def test_list_shows_each_application_with_its_next_action(user: User) -> None:
    user.run("add", "Globex", "Data Analyst")
    listed = user.json("list")
    assert [a["id"] for a in listed] == [APP, "globex-data-analyst"]
    assert listed[0]["next_action"]["kind"] == "thank_you_email"
    assert listed[1]["next_action"]["kind"] == "find_contact"  # R18, with no HR contact known
    assert user.json("list", "--status", "rejected") == []
    assert "globex-data-analyst" in user.run("list").stdout


@pytest.mark.skipif(
    shutil.which("script") is None, reason="needs script(1) from util-linux for a pseudo-terminal"
)
def test_on_a_terminal_tables_and_colours_come_from_rich(user: User) -> None:
    followup = str(Path(sys.executable).parent / "followup")
    command = f"{followup} --db {user.db} list"
    out = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "120"},
    ).stdout
    assert "┏" in out or "━" in out  # a Rich table border
    assert APP in out
