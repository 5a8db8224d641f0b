"""followup send, sync, outbox and mail test, as a user runs them; the web app's Send."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from tests.e2e.cli import User
from tests.mail.conftest import PASSWORD, Dovecot, SmtpServer, Tls
from tests.mail.support import NOW, THANK_YOU, configure_imap, configure_smtp, search
from tests.mail.test_sync import reply
from tests.web_support import BASE_URL, Site, token


@pytest.fixture(autouse=True)
def _passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", PASSWORD)


@pytest.fixture
def user(tmp_path: Path, smtp_server: SmtpServer, tls: Tls) -> User:
    deps = search(tmp_path / "m.db")
    configure_smtp(deps, smtp_server.port, tls)
    deps.store.close()  # type: ignore[attr-defined]
    return User(tmp_path / "m.db", now=NOW.isoformat())


def test_send_shows_the_message_and_a_dry_run_sends_nothing(
    user: User, smtp_server: SmtpServer
) -> None:
    dry = user.run("send", THANK_YOU, "--dry-run").stdout
    assert "From: Maria Silva <maria@mail.example>" in dry
    assert "To: Ana Sousa <ana@acme.example>" in dry
    assert "Message-ID: <" in dry
    assert "Dear Ana Sousa," in dry
    assert smtp_server.received == []
    assert user.json("outbox") == []
    out = user.run("send", THANK_YOU, input="y\n").stdout
    assert "Subject: Thank you for the Backend Engineer interview" in out
    assert "Sent to ana@acme.example" in out
    assert len(smtp_server.received) == 1
    assert THANK_YOU not in [a["id"] for a in user.json("today")["actions"]]


def test_send_json_says_what_it_sent_and_any_rule_it_broke(
    user: User, smtp_server: SmtpServer
) -> None:
    """A sent email is a touch: its warnings (R13, R7) come out as `log`'s and `done`'s do;
    a thank-you breaks none."""
    sent = user.json("send", THANK_YOU, "--yes")
    assert sent["sent"].startswith("<")
    assert sent["warnings"] == []
    assert len(smtp_server.received) == 1


def test_declining_sends_nothing(user: User, smtp_server: SmtpServer) -> None:
    assert "Not sent." in user.run("send", THANK_YOU, input="n\n").stdout
    assert smtp_server.received == []


def test_a_lost_connection_is_shown_with_what_to_do(user: User, smtp_server: SmtpServer) -> None:
    smtp_server.mode = "drop"
    result = user.run("send", THANK_YOU, "--yes", ok=False)
    assert result.exit_code == 10
    assert "check your Sent folder" in result.stderr
    assert "Traceback" not in result.stderr
    (stuck,) = user.json("outbox")
    assert stuck["state"] == "sending"
    assert f"followup outbox sent {stuck['id']}" in user.run("today").stdout
    again = user.run("send", THANK_YOU, "--yes", ok=False)
    assert again.exit_code == 8
    assert "may already have gone out" in again.stderr
    user.run("outbox", "sent", str(stuck["id"]))
    assert user.json("outbox") == []
    assert smtp_server.received == []


def test_mail_test_says_what_works_and_what_fails(user: User, dovecot: Dovecot, tls: Tls) -> None:
    deps = bootstrap.build(str(user.db), NOW)
    configure_imap(deps, dovecot.ssl_port, tls)
    deps.store.close()  # type: ignore[attr-defined]
    out = user.run("mail", "test").stdout
    assert "SMTP: TLS: certificate verified" in out
    assert "IMAP: folder INBOX can be read" in out
    user.run("config", "set", "mail.ca_file", "")
    failed = user.run("mail", "test", ok=False)
    assert failed.exit_code == 10
    assert "certificate is not trusted" in failed.stderr


def test_sync_records_a_reply_after_confirming_its_decision(
    user: User, dovecot: Dovecot, tls: Tls
) -> None:
    deps = bootstrap.build(str(user.db), NOW)
    configure_imap(deps, dovecot.ssl_port, tls, folders="SyncCli")
    deps.store.close()  # type: ignore[attr-defined]
    user.run("send", THANK_YOU, "--yes")
    sent_id = user.json("show", "acme-backend-engineer")["touches"][0]["message_id"]
    dovecot.create("SyncCli")
    dovecot.append(
        reply(
            "Thank you! We will decide by 2026-03-20.",
            in_reply_to=sent_id,
            at=NOW + timedelta(hours=3),
        ),
        "SyncCli",
    )
    user.now = (NOW + timedelta(days=1)).isoformat()
    out = user.run("sync", input="y\n").stdout
    assert "Subject: Re: Following up" in out
    assert "It says: \u201cWe will decide by 2026-03-20.\u201d" in out
    assert "That reads as: undecided, by Fri 20 Mar 2026" in out
    assert "Recorded the reply for acme-backend-engineer" in out
    touches = user.json("show", "acme-backend-engineer")["touches"]
    assert [(t["outcome"], t["decision"], t["decision_by"]) for t in touches] == [
        ("sent", None, None),
        ("replied", "undecided", "2026-03-20"),
    ]
    assert "No new reply" in user.run("sync").stdout


def test_the_web_app_sends_with_one_click(
    tmp_path: Path, smtp_server: SmtpServer, tls: Tls
) -> None:
    deps = search(tmp_path / "w.db")
    configure_smtp(deps, smtp_server.port, tls)
    deps.store.close()  # type: ignore[attr-defined]
    site = Site(tmp_path / "w.db", NOW)
    site.app.state.make_mailer = bootstrap.mailer
    with TestClient(site.app, base_url=BASE_URL) as client:
        page = client.get("/").text
        assert (
            'action="/actions/thank_you_email%3Aacme-backend-engineer%3Aiv1%3Aana-sousa/send"'
            in page
        )
        response = client.post(
            f"/actions/{THANK_YOU}/send",
            data={"csrf_token": token(client)},
            headers={"hx-request": "true"},
        )
    assert response.status_code == 200
    assert "Sent to ana@acme.example." in response.text
    assert len(smtp_server.received) == 1
