"""Sending through a real SMTP server on loopback: the exact message, the outbox, TLS."""

from __future__ import annotations

import sqlite3
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from followup import bootstrap
from followup.domain.mailbox import OutboxState
from followup.entrypoints.cli.remedies import worded
from followup.errors import InvalidInput, MailFailed, MaybeSent, NotSent, Refused, Rejected
from followup.services import applications, contacts, interchange, mail, settings
from followup.services.session import Deps
from tests.mail.conftest import PASSWORD, USER, SmtpServer, Tls
from tests.mail.support import APP, NOW, THANK_YOU, configure_smtp, search


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)


@pytest.fixture
def deps(tmp_path: Path, smtp_server: SmtpServer, tls: Tls) -> Deps:
    deps = search(tmp_path / "send.db")
    configure_smtp(deps, smtp_server.port, tls)
    return deps


def sent_touches(deps: Deps) -> list[str | None]:
    app = applications.get_application(deps, APP, NOW).application
    return [t.message_id for t in app.touches if t.outcome.value == "sent"]


def test_the_server_receives_exactly_the_message_shown(deps: Deps, smtp_server: SmtpServer) -> None:
    entry = mail.compose(deps, THANK_YOU, NOW)
    delivery = mail.send(deps, bootstrap.mailer(deps), entry, NOW)
    (received,) = smtp_server.received
    assert received.sender == "maria@mail.example"
    assert received.recipients == ["ana@acme.example"]
    assert received.data == entry.message
    message = message_from_bytes(received.data, policy=policy.default)
    assert message["From"] == "Maria Silva <maria@mail.example>"
    assert message["To"] == "Ana Sousa <ana@acme.example>"
    assert message["Subject"] == "Thank you for the Backend Engineer interview"
    assert message["Message-ID"] == entry.message_id
    assert message["Date"] == "Wed, 04 Mar 2026 09:00:00 +0000"
    body = message.get_body()
    assert body is not None
    assert body.get_content().startswith("Dear Ana Sousa,")
    assert sent_touches(deps) == [entry.message_id]
    assert delivery.entry.state is OutboxState.SENT
    assert mail.outbox(deps) == []
    assert delivery.logged is not None
    assert THANK_YOU not in [a.id for a in delivery.logged.actions]


def test_a_connection_lost_mid_send_is_never_sent_again_unasked(
    deps: Deps, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "drop"
    entry = mail.compose(deps, THANK_YOU, NOW)
    with pytest.raises(MaybeSent, match="It may have gone out") as caught:
        mail.send(deps, bootstrap.mailer(deps), entry, NOW)
    (stuck,) = mail.outbox(deps)
    assert "check your Sent folder, then followup outbox sent" in worded(caught.value)
    assert (stuck.state, stuck.message_id, stuck.message) == (
        OutboxState.SENDING,
        entry.message_id,
        entry.message,
    )
    assert sent_touches(deps) == []
    smtp_server.mode = "accept"
    with pytest.raises(Refused, match="may already have gone out"):
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert smtp_server.received == []
    mail.retry(deps, bootstrap.mailer(deps), stuck.id, NOW)  # the user checked: it did not go
    (received,) = smtp_server.received
    assert received.data == entry.message  # the same message, Message-ID included
    assert sent_touches(deps) == [entry.message_id]
    assert mail.outbox(deps) == []


def test_a_message_found_in_the_sent_folder_is_recorded_without_sending(
    deps: Deps, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "drop"
    entry = mail.compose(deps, THANK_YOU, NOW)
    with pytest.raises(MaybeSent):
        mail.send(deps, bootstrap.mailer(deps), entry, NOW)
    (stuck,) = mail.outbox(deps)
    mail.mark_sent(deps, stuck.id, NOW)
    assert sent_touches(deps) == [entry.message_id]
    assert smtp_server.received == []


def test_a_refusal_before_the_message_is_failed_and_safe_to_send_again(
    deps: Deps, smtp_server: SmtpServer
) -> None:
    smtp_server.mode = "refuse"
    with pytest.raises(Rejected, match="550 no such user"):
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    (failed,) = mail.outbox(deps)
    assert failed.state is OutboxState.FAILED
    assert failed.error is not None
    assert failed.error.startswith(mail.REFUSED_FOR_GOOD)
    smtp_server.mode = "accept"
    mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert len(smtp_server.received) == 1


def test_a_refusal_for_now_is_not_one_for_good(deps: Deps, smtp_server: SmtpServer) -> None:
    """RFC 5321: 4xx is for now (the worker tries again), 5xx for good (it does not)."""
    smtp_server.mode = "busy"
    with pytest.raises(NotSent, match="451 mailbox busy") as error:
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert not isinstance(error.value, Rejected)
    (failed,) = mail.outbox(deps)
    assert failed.error is not None
    assert not failed.error.startswith(mail.REFUSED_FOR_GOOD)


def test_an_untrusted_certificate_fails_closed(
    deps: Deps, smtp_server: SmtpServer, tls: Tls
) -> None:
    configure_smtp(deps, smtp_server.port, None)
    settings.update(deps, {"mail.ca_file": ""}, now=NOW)
    with pytest.raises(NotSent, match="certificate is not trusted"):
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    with pytest.raises(MailFailed, match="certificate is not trusted"):
        bootstrap.mailer(deps).check()
    assert smtp_server.received == []


def test_a_wrong_password_is_refused_and_never_shown(
    deps: Deps, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", "wrong-secret-value")
    with pytest.raises(Rejected) as error:  # 535: for good, no retry hammers the login
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert f"refused the login of {USER}" in str(error.value)
    assert "wrong-secret-value" not in str(error.value)


def test_no_tls_is_refused_unless_local_and_allowed(
    deps: Deps, plain_smtp_server: SmtpServer
) -> None:
    configure_smtp(deps, plain_smtp_server.port, None)
    with pytest.raises(MailFailed, match="does not offer STARTTLS"):
        bootstrap.mailer(deps).check()
    configure_smtp(deps, plain_smtp_server.port, None, security="none")
    with pytest.raises(MailFailed, match="without TLS"):
        bootstrap.mailer(deps).check()
    settings.update(deps, {"mail.allow_plaintext_local": "yes", "mail.smtp_user": ""}, now=NOW)
    mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert len(plain_smtp_server.received) == 1


def test_line_breaks_never_reach_a_header_or_the_envelope(deps: Deps) -> None:
    with pytest.raises(InvalidInput, match="line break"):
        settings.update(
            deps, {"mail.address": "maria@mail.example\r\nBcc: x@evil.example"}, now=NOW
        )
    with pytest.raises(InvalidInput, match="line break"):  # refused where it is typed
        contacts.edit_contact(
            deps, APP, "ana-sousa", contacts.ContactInput(name="Ana\nBcc: x@evil.example")
        )


def test_the_password_is_never_stored(deps: Deps, smtp_server: SmtpServer, tmp_path: Path) -> None:
    mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    deps.store.close()  # type: ignore[attr-defined]
    for path in tmp_path.glob("send.db*"):
        assert PASSWORD.encode() not in path.read_bytes()
    assert PASSWORD not in str(
        interchange.export_data(bootstrap.build(str(tmp_path / "send.db"), NOW))
    )


def _store_raw(db: Path, sql: str, value: str) -> None:
    """Write what an older followup could store, past today's checks at entry."""
    with sqlite3.connect(db) as conn:
        conn.execute(sql, (value,))
    conn.close()


_RAW = {
    "company": "UPDATE application SET company = ?",
    "position": "UPDATE application SET position = ?",
    "the contact's name": "UPDATE contact SET name = ?",
}


@pytest.mark.parametrize("field", list(_RAW))
@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1b"])
def test_stored_line_breaks_are_refused_before_any_server_is_contacted(
    deps: Deps, smtp_server: SmtpServer, tmp_path: Path, field: str, char: str
) -> None:
    _store_raw(tmp_path / "send.db", _RAW[field], f"Acme{char}Bcc: x@evil.example")
    with pytest.raises(InvalidInput, match=f"^{field} contains a (line break|control char)"):
        mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    assert smtp_server.received == []
    assert mail.outbox(deps) == []


def test_a_very_long_stored_name_is_folded_and_delivered(
    deps: Deps, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    name = "Ana" + "s" * 1997  # one word of 2,000 characters: the email package cannot fold it
    _store_raw(tmp_path / "send.db", "UPDATE contact SET name = ?", name)
    settings.set_value(deps, "name", "Maria Silva", now=NOW)
    mail.send(deps, bootstrap.mailer(deps), mail.compose(deps, THANK_YOU, NOW), NOW)
    (received,) = smtp_server.received
    assert max(len(line) for line in received.data.split(b"\r\n")) <= 78
    message = message_from_bytes(received.data, policy=policy.compat32)
    to = str(make_header(decode_header(message["To"])))
    assert to == f"{name} <ana@acme.example>"
    assert received.recipients == ["ana@acme.example"]
