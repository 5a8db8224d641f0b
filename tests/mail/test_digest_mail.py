"""The digest by email, through a real SMTP server; the README's cron and systemd lines, run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from followup import bootstrap
from followup.errors import MaybeSent, NotSent
from followup.services import digest, interviews
from followup.services.session import Deps
from tests.mail.conftest import PASSWORD, SmtpServer, Tls
from tests.mail.support import APP, NOW, configure_smtp, search

README = (Path(__file__).parents[2] / "README.md").read_text()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)


@pytest.fixture
def deps(tmp_path: Path, smtp_server: SmtpServer, tls: Tls) -> Deps:
    deps = search(tmp_path / "digest.db")
    configure_smtp(deps, smtp_server.port, tls)
    return deps


def send(deps: Deps, now: datetime = NOW) -> digest.Sent:
    return digest.send(deps, bootstrap.mailer(deps), now)


def test_the_digest_goes_to_the_users_own_address(deps: Deps, smtp_server: SmtpServer) -> None:
    result = send(deps)
    assert result.sent
    (received,) = smtp_server.received
    assert (received.sender, received.recipients) == ("maria@mail.example", ["maria@mail.example"])
    message = message_from_bytes(received.data, policy=policy.default)
    assert message["To"] == "maria@mail.example"
    assert message["Subject"] == "followup: 2 today (Wed 4 Mar 2026)"  # thank-you, apply more
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "Your follow-ups for Wed 4 Mar 2026" in body
    assert "Send a thank-you email: Ana Sousa (Acme, Backend Engineer)" in body


def test_once_a_day_unless_something_is_new(deps: Deps, smtp_server: SmtpServer) -> None:
    assert send(deps).sent
    assert not send(deps, NOW + timedelta(hours=3)).sent  # nothing new: not sent again
    assert len(smtp_server.received) == 1
    # Something new the same day: an interview on Friday asks to prepare for it (R1).
    later = NOW + timedelta(hours=4)
    interviews.record_interview(
        deps, APP, interviews.InterviewInput(at=datetime(2026, 3, 6, 10, tzinfo=UTC)), now=later
    )
    assert send(deps, later).sent
    update = message_from_bytes(smtp_server.received[1].data, policy=policy.default)
    assert "1 new" in str(update["Subject"])
    assert "* Thu 5 Mar 2026  Prepare the interview: Acme, Backend Engineer" in (
        update.get_content()
    )
    # The next day it goes out again, news or not.
    assert send(deps, NOW + timedelta(days=1)).sent
    assert len(smtp_server.received) == 3


def test_a_refused_digest_is_not_remembered(deps: Deps, smtp_server: SmtpServer) -> None:
    smtp_server.mode = "refuse"
    with pytest.raises(NotSent):
        send(deps)
    smtp_server.mode = "accept"
    assert send(deps, NOW + timedelta(minutes=5)).sent  # not "already sent today"
    body = message_from_bytes(smtp_server.received[0].data, policy=policy.default).get_content()
    assert "This is your first digest." in body


def test_a_digest_that_may_have_gone_counts_as_sent(deps: Deps, smtp_server: SmtpServer) -> None:
    smtp_server.mode = "drop"
    with pytest.raises(MaybeSent, match="counts as sent"):
        send(deps)
    smtp_server.mode = "accept"
    assert not send(deps, NOW + timedelta(minutes=5)).sent  # no second copy the same day
    assert smtp_server.received == []


# --- the README's lines, run as written ----------------------------------------------------


def readme_block(start: str) -> str:
    """The README's fenced block that starts with ``start``."""
    found = re.search(r"```[a-z]*\n(" + re.escape(start) + r".*?)```", README, re.S)
    assert found is not None, start
    return found.group(1)


@pytest.fixture
def home(tmp_path: Path, deps: Deps) -> Path:
    """A home where followup is installed as pipx installs it, using the test's database."""
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "followup").symlink_to(Path(sys.executable).parent / "followup")
    return home


def environment(home: Path, deps: Deps) -> dict[str, str]:
    db = deps.store.path  # type: ignore[attr-defined]
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",  # as bare as cron's
        "FOLLOWUP_DB": str(db),
        "FOLLOWUP_SMTP_PASSWORD": PASSWORD,
    }


def test_the_cron_line_sends_the_digest(home: Path, deps: Deps, smtp_server: SmtpServer) -> None:
    (line,) = [x for x in readme_block("0 8 * * *").splitlines() if x.strip()]
    command = line.split(None, 5)[5]  # what cron runs, with /bin/sh
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        env=environment(home, deps),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Sent today's digest to maria@mail.example." in done.stdout
    assert len(smtp_server.received) == 1


def test_the_systemd_units_are_valid_and_their_command_sends(
    home: Path, deps: Deps, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        reason = "needs systemd-analyze: sudo apt-get install systemd"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the systemd units: {reason}")
        pytest.skip(reason)
    units = tmp_path / "units"
    units.mkdir()
    for name in ("followup-digest.service", "followup-digest.timer"):
        text = readme_block(f"# ~/.config/systemd/user/{name}")
        (units / name).write_text(text.replace("%h", str(home)))
    checked = subprocess.run(
        [analyze, "verify", str(units / "followup-digest.service"), str(units / "followup-digest.timer")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "", checked.stderr
    exec_start = next(
        line.removeprefix("ExecStart=")
        for line in (units / "followup-digest.service").read_text().splitlines()
        if line.startswith("ExecStart=")
    )
    done = subprocess.run(
        exec_start.split(), env=environment(home, deps), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert len(smtp_server.received) == 1
