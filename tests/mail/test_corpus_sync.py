"""Corpus messages end to end: delivered into Dovecot, read by ``followup sync`` (issue 16)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from followup import bootstrap
from followup.adapters.imap import ImapMailbox
from followup.domain.model import Outcome, Role
from followup.services import contacts, touches
from tests.e2e.cli import User
from tests.mail.conftest import PASSWORD, Dovecot, Tls
from tests.mail.support import APP, NOW, configure_imap, search
from tests.mail.test_corpus import CORPUS, MANIFEST

THEN = NOW + timedelta(days=7)  # Wednesday 11 March 2026
#: A dozen messages of every kind: replies in five languages, HTML, no Message-ID,
#: automatic mail, our own copy and two delivery reports.
DOZEN = [
    "en-gmail-rejection", "en-gmail-undecided-date", "pt-undecided-date", "es-rejection-cp1252",
    "fr-offer", "de-next-round", "en-html-gmail-rejection", "en-no-message-id",
    "auto-ooo-auto-submitted", "auto-job-alert", "own-sent-copy", "bounce-postfix-dsn",
    "bounce-gmail-dsn",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOLLOWUP_IMAP_PASSWORD", PASSWORD)


@pytest.fixture
def folder(dovecot: Dovecot, request: pytest.FixtureRequest) -> str:
    name = f"C{abs(hash(request.node.name)) % 10**8}"
    dovecot.create(name)
    return name


@pytest.fixture
def user(tmp_path: Path, dovecot: Dovecot, tls: Tls, folder: str) -> User:
    deps = search(tmp_path / "c.db")
    configure_imap(deps, dovecot.ssl_port, tls, folders=folder)
    for name, role, email, phone in [
        ("Rui Lopes", Role.HR, "rui@acme.example", "+351 912 345 678"),
        ("Talent Team", Role.HR, "hr@acme.example", None),
    ]:
        contacts.add_contact(
            deps, APP, contacts.ContactInput(name, role, email, phone, True), now=NOW
        )
    touches.log_touch(
        deps,
        APP,
        touches.TouchInput(
            Outcome.SENT, at=NOW + timedelta(days=5), message_id="<sent-1@mail.example>"
        ),
        now=NOW + timedelta(days=5),
    )
    deps.store.close()  # type: ignore[attr-defined]
    return User(tmp_path / "c.db", now=THEN.isoformat())


def deliver(dovecot: Dovecot, folder: str, *names: str) -> None:
    for name in names:
        dovecot.append((CORPUS / f"{name}.eml").read_bytes(), folder)


def test_a_dozen_messages_through_dovecot_and_sync(
    user: User, dovecot: Dovecot, folder: str
) -> None:
    deliver(dovecot, folder, *DOZEN)
    out = user.json("sync")  # --json without --yes: replies recorded, proposals only listed
    replies = [n for n in DOZEN if MANIFEST[n]["kind"] == "reply"]
    assert len(out["recorded"]) == len(replies)
    for item, name in zip(out["recorded"], replies, strict=True):
        expected = MANIFEST[name]
        assert item["decision"] is None  # nothing decided without the user
        proposal = item["proposal"] or {"decision": None, "decision_by": None, "next_round": False}
        assert (proposal["decision"], proposal["decision_by"], proposal["next_round"]) == (
            expected.get("decision"),
            expected.get("by"),
            expected.get("next_round", False),
        ), name
    assert sorted(a["why"] for a in out["automatic"]) == [
        "Auto-Submitted: auto-generated",
        "Auto-Submitted: auto-replied",
    ]
    assert sorted((b["contact"], b["email"]) for b in out["bounced"]) == [
        ("ana-sousa", "ana@acme.example"),
        ("rui-lopes", "rui@acme.example"),
    ]
    shown = user.json("show", APP)
    assert shown["status"] == "active"
    replied = [t for t in shown["touches"] if t["outcome"] == "replied"]
    assert len(replied) == len(replies)
    assert {c["id"]: c.get("email_failed_on") for c in shown["contacts"]} == {
        "ana-sousa": "2026-03-10",
        "rui-lopes": "2026-03-10",
        "talent-team": None,
    }
    # The bounced addresses are not emailed: Rui has a phone, so a call.
    plan = user.json("plan", "--horizon", "60")["actions"]
    (status,) = [a for a in plan if a["id"] == f"status:{APP}"]
    assert (status["kind"], status["contact"]) == ("status_call", "rui-lopes")
    # Nothing is recorded twice, even after a mailbox reset, with or without a Message-ID.
    assert "No new reply" in user.run("sync").stdout
    dovecot.reset_uidvalidity(424242, folder)
    assert user.json("sync")["recorded"] == []
    # The user clears the mark.
    cleared = user.json("contact", "edit", APP, "ana-sousa", "--email-ok")
    assert cleared["email_failed_on"] is None
    assert "bounced" in user.run("show", APP).stdout  # Rui's still shows


def reply(subject: str, body: str, at: datetime = THEN) -> bytes:
    message = EmailMessage()
    message["From"] = "Ana Sousa <ana@acme.example>"
    message["To"] = "maria@mail.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{abs(hash(subject + body))}@acme.example>"
    message["In-Reply-To"] = "<sent-1@mail.example>"
    message.set_content(body)
    return bytes(message)


def test_enter_records_the_reply_without_a_decision_and_nothing_raw_is_printed(
    user: User, dovecot: Dovecot, folder: str
) -> None:
    hostile = "\x1b]0;owned\x07\x1b[2J"
    dovecot.append(
        reply(f"Re: news {hostile}", f"{hostile}We regret to inform you that\nthe role is filled."),
        folder,
    )
    result = user.run("sync", input="\n")
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout
    assert "It says: \u201c" in result.stdout
    assert "That reads as: rejected." in result.stdout
    assert "Record that decision? (Enter: record the reply only)" in result.stdout
    shown = user.json("show", APP)
    assert shown["status"] == "active"
    assert [t["decision"] for t in shown["touches"] if t["outcome"] == "replied"] == [None]


def test_yes_accepts_the_proposal(user: User, dovecot: Dovecot, folder: str) -> None:
    deliver(dovecot, folder, "de-rejection")
    out = user.json("sync", "--yes")
    assert out["recorded"][0]["decision"] == "rejected"
    assert user.json("show", APP)["status"] == "rejected"


def test_a_missing_folder_is_named_and_the_others_are_read(
    user: User, dovecot: Dovecot, folder: str
) -> None:
    deliver(dovecot, folder, "fr-offer")
    user.run("config", "set", "mail.folders", f"NoSuchFolder,{folder}")
    result = user.run("sync", input="n\n")
    assert "No folder 'NoSuchFolder' on the server: skipped it." in result.stderr
    assert "Recorded the reply" in result.stdout


def test_a_new_folder_is_read_from_mail_since(user: User, dovecot: Dovecot, folder: str) -> None:
    old, new = reply("Re: old", "Old news."), reply("Re: new", "New news.")
    dovecot.append(old, folder, received=datetime(2026, 1, 5, 9, tzinfo=UTC))
    dovecot.append(new, folder, received=datetime(2026, 3, 10, 9, tzinfo=UTC))
    user.run("config", "set", "mail.since", "2026-03-01")
    recorded = user.json("sync")["recorded"]
    assert [r["message_id"] for r in recorded] == [
        f"<{abs(hash('Re: newNew news.'))}@acme.example>"
    ]


def test_without_mail_since_a_new_folder_starts_at_the_oldest_open_application(
    user: User, dovecot: Dovecot, folder: str
) -> None:
    dovecot.append(
        reply("Re: ancient", "Hello."), folder, received=datetime(2025, 6, 1, tzinfo=UTC)
    )
    dovecot.append(reply("Re: recent", "Hello again."), folder)
    assert len(user.json("sync")["recorded"]) == 1


def test_sync_reads_text_parts_not_attachments(user: User, dovecot: Dovecot, folder: str) -> None:
    message = EmailMessage()
    message["From"] = "ana@acme.example"
    message["Subject"] = "Re: the contract"
    message["Message-ID"] = "<big@acme.example>"
    message.set_content("We are pleased to offer you the role; the contract is attached.")
    message.add_attachment(
        b"\x00" * 3_000_000, maintype="application", subtype="pdf", filename="c.pdf"
    )
    dovecot.append(bytes(message), folder)
    deps = bootstrap.build(str(user.db), THEN)
    mailbox = bootstrap.mailbox(deps)
    assert isinstance(mailbox, ImapMailbox)
    received = 0
    original = mailbox.conn.uid

    def counting(command: str, *args: str) -> tuple[str, list[object]]:
        nonlocal received
        status, data = original(command, *args)
        received += len(json.dumps([repr(x) for x in data]))
        return status, data

    mailbox.conn.uid = counting  # type: ignore[method-assign]
    assert mailbox.open(folder) is not None
    (mail,) = mailbox.since(0)
    mailbox.close()
    assert "pleased to offer" in mail.text
    assert received < 50_000  # the 3 MB attachment never came over the wire


def test_sending_to_a_bounced_address_says_why_and_how_to_clear_it(
    user: User, dovecot: Dovecot, folder: str
) -> None:
    deliver(dovecot, folder, "bounce-postfix-dsn")
    user.run("sync")
    thank_you = f"thank_you_email:{APP}:iv1:ana-sousa"
    refused = user.run("send", thank_you, "--dry-run", ok=False)
    assert refused.exit_code == 4  # bad input
    assert "mail to ana@acme.example bounced on 2026-03-10" in refused.stderr
    assert f"followup contact edit {APP} ana-sousa --email-ok" in refused.stderr
    user.run("contact", "edit", APP, "ana-sousa", "--email-ok")
    assert "To: Ana Sousa <ana@acme.example>" in user.run("send", thank_you, "--dry-run").stdout
