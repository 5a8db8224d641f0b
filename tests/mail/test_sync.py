"""Reading replies from a real IMAP server (Dovecot) on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from followup import bootstrap
from followup.domain.model import Decision, Outcome, Status
from followup.errors import InvalidInput, MailFailed
from followup.services import applications, mail, settings, touches
from followup.services.session import Deps
from tests.mail.conftest import PASSWORD, USER, Dovecot, Tls
from tests.mail.support import APP, NOW, configure_imap, search

LATER = NOW + timedelta(days=14)


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", PASSWORD)


@pytest.fixture
def folder(dovecot: Dovecot, request: pytest.FixtureRequest) -> str:
    """A fresh folder per test, so tests do not see each other's mail."""
    name = f"T{abs(hash(request.node.name)) % 10**8}"
    dovecot.create(name)
    return name


@pytest.fixture
def deps(tmp_path: Path, dovecot: Dovecot, tls: Tls, folder: str) -> Deps:
    deps = search(tmp_path / "sync.db")
    configure_imap(deps, dovecot.ssl_port, tls, folders=folder)
    # A status email that followup sent, a week after the interview, and its Message-ID.
    touches.log_touch(
        deps,
        APP,
        touches.TouchInput(
            Outcome.SENT, at=NOW + timedelta(days=5), message_id="<sent-1@mail.example>"
        ),
        now=NOW + timedelta(days=5),
    )
    return deps


def reply(
    body: str,
    *,
    sender: str = "Ana Sousa <ana@acme.example>",
    in_reply_to: str | None = "<sent-1@mail.example>",
    subject: str = "Re: Following up",
    at: datetime = NOW + timedelta(days=6),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "maria@mail.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain="acme.example")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return bytes(message)


def sync(deps: Deps, accept: bool = True) -> list[touches.Logged]:
    fetched = mail.fetch(deps, bootstrap.mailbox(deps), LATER.date())
    decisions = [r.proposal if accept else None for r in fetched.replies]
    return mail.record(deps, fetched, decisions, LATER)


def replies(deps: Deps) -> list[str | None]:
    app = applications.get_application(deps, APP, LATER).application
    return [t.message_id for t in app.touches if t.outcome is Outcome.REPLIED]


def test_a_reply_in_the_thread_is_recorded_once(deps: Deps, dovecot: Dovecot, folder: str) -> None:
    raw = reply("Thanks for your message, we are still reviewing applications.")
    dovecot.append(raw, folder)
    (logged,) = sync(deps)
    assert logged.touch.outcome is Outcome.REPLIED
    assert logged.touch.contact == "ana-sousa"
    assert logged.touch.message_id is not None
    assert logged.touch.message_id in raw.decode()
    assert sync(deps) == []  # the folder is read from where it was left
    assert len(replies(deps)) == 1


def test_a_reply_answers_the_pending_attempt_and_moves_the_plan(
    deps: Deps, dovecot: Dovecot, folder: str
) -> None:
    for day in (12, 19):  # two unanswered calls after the email...
        touches.log_touch(
            deps,
            APP,
            touches.TouchInput(Outcome.NO_ANSWER, at=NOW + timedelta(days=day)),
            now=NOW + timedelta(days=day),
        )
    dovecot.append(reply("We have not made a decision yet; we will decide by 2026-03-31."), folder)
    (logged,) = sync(deps)
    assert (logged.touch.decision, logged.touch.decision_by) == (
        Decision.UNDECIDED,
        date(2026, 3, 31),
    )
    (status,) = [a for a in logged.actions if a.id == f"status:{APP}"]
    assert status.rule == "R14"
    assert status.due == date(2026, 4, 1)


def test_a_reply_from_a_contact_outside_the_thread_is_matched_by_address(
    deps: Deps, dovecot: Dovecot, folder: str
) -> None:
    dovecot.append(
        reply("Unfortunately we decided to proceed with another candidate.", in_reply_to=None),
        folder,
    )
    dovecot.append(reply("Newsletter!", sender="news@shop.example", in_reply_to=None), folder)
    fetched = mail.fetch(deps, bootstrap.mailbox(deps), LATER.date())
    assert len(fetched.replies) == 1  # the newsletter matches nothing
    proposal = fetched.replies[0].proposal
    assert proposal is not None
    assert proposal.decision is Decision.REJECTED
    (logged,) = mail.record(deps, fetched, [fetched.replies[0].proposal], LATER)
    assert logged.application.status is Status.REJECTED  # R15, as the user confirmed


def test_a_declined_proposal_records_the_reply_without_a_decision(
    deps: Deps, dovecot: Dovecot, folder: str
) -> None:
    dovecot.append(reply("We are pleased to offer you the position!"), folder)
    (logged,) = sync(deps, accept=False)
    assert logged.touch.decision is None
    assert logged.application.status is Status.ACTIVE


def test_a_mailbox_reset_does_not_count_a_reply_twice(
    deps: Deps, dovecot: Dovecot, folder: str
) -> None:
    dovecot.append(reply("First answer."), folder)
    assert len(sync(deps)) == 1
    dovecot.reset_uidvalidity(1234567, folder)
    assert sync(deps) == []  # read again from the start, recognised by Message-ID
    dovecot.append(reply("Second answer.", at=NOW + timedelta(days=8)), folder)
    assert len(sync(deps)) == 1
    assert len(replies(deps)) == 2


def test_nothing_in_the_mailbox_changes(deps: Deps, dovecot: Dovecot, folder: str) -> None:
    dovecot.append(reply("Hello"), folder)
    sync(deps)
    with dovecot.client() as conn:
        conn.select(folder, readonly=True)
        _, (flags,) = conn.fetch("1", "(FLAGS)")
    assert isinstance(flags, bytes)
    assert b"FLAGS" in flags
    assert b"\\Seen" not in flags


def test_starttls_works_and_a_folder_with_a_line_break_is_refused(
    deps: Deps, dovecot: Dovecot, tls: Tls, folder: str
) -> None:
    configure_imap(deps, dovecot.port, tls, security="starttls", folders=folder)
    assert sync(deps) == []
    with pytest.raises(InvalidInput, match="line break"):
        settings.update(deps, {"mail.folders": "INBOX\r\nA1 DELETE INBOX"}, now=NOW)
    configure_imap(deps, dovecot.ssl_port, tls, folders="Caixa de saída")
    with pytest.raises(MailFailed, match="only ASCII"):
        sync(deps)


def test_the_certificate_check_fails_closed(deps: Deps, dovecot: Dovecot, folder: str) -> None:
    settings.update(deps, {"mail.ca_file": ""}, now=NOW)
    with pytest.raises(MailFailed, match="certificate is not trusted"):
        sync(deps)


def test_a_wrong_password_is_refused_and_never_shown(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", "wrong-secret-value")
    with pytest.raises(MailFailed) as error:
        sync(deps)
    assert f"refused the login of {USER}" in str(error.value)
    assert "wrong-secret-value" not in str(error.value)


def test_a_reply_dated_in_the_future_is_recorded_at_the_time_it_is_read(
    deps: Deps, dovecot: Dovecot, folder: str
) -> None:
    dovecot.append(reply("Hi", at=datetime(2999, 1, 1, tzinfo=UTC)), folder)
    (logged,) = sync(deps)
    assert logged.touch.at == LATER
