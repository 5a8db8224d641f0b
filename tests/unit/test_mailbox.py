"""The pure part of email: safe header values, settings, what a reply says, whose it is."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.mailbox import (
    IncomingMail,
    MailSettings,
    Security,
    SentMail,
    check_header,
    match,
    plaintext_allowed,
    require_tls,
)
from followup.domain.model import Decision, Purpose
from followup.domain.replies import Proposal, propose
from followup.errors import InvalidInput, MailFailed

WEDNESDAY = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def incoming(
    text: str,
    *,
    subject: str = "Re: Backend Engineer",
    in_reply_to: tuple[str, ...] = (),
    sender: str | None = "ana@acme.example",
    at: datetime | None = WEDNESDAY,
) -> IncomingMail:
    return IncomingMail(1, "<r@acme.example>", in_reply_to, sender, subject, at, text)


# --- headers and settings ------------------------------------------------------------------


#: Every character that breaks a line or controls a terminal (Cc, Zl, Zp), tab excepted.
_UNSAFE = [chr(c) for c in (*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0))]
_UNSAFE += ["\u2028", "\u2029"]


@given(st.text(), st.sampled_from(_UNSAFE), st.text())
def test_a_line_break_or_control_is_refused_wherever_it_is(
    before: str, bad: str, after: str
) -> None:
    with pytest.raises(InvalidInput, match=r"^contact email contains a (line break|control)"):
        check_header(before + bad + after, "contact email")


@given(st.text().filter(lambda t: not set(_UNSAFE) & set(t)))
def test_anything_else_passes_unchanged(value: str) -> None:
    assert check_header(value, "subject") == value


def test_settings_are_parsed_and_refused_with_the_key_named() -> None:
    s = MailSettings().with_value("mail.smtp_port", " 465 ").with_value("smtp_security", "SSL")
    assert (s.smtp_port, s.smtp_security) == (465, Security.SSL)
    assert MailSettings().with_value("mail.folders", "INBOX, Work ,").folder_list == [
        "INBOX",
        "Work",
    ]
    assert MailSettings().with_value("mail.folders", "").folders == "INBOX"
    assert MailSettings(smtp_host="x").with_value("mail.smtp_host", "").smtp_host is None
    for key, value, message in [
        ("mail.smtp_port", "70000", "not a port number"),
        ("mail.imap_port", "993a", "not a port number"),
        ("mail.imap_security", "tls", "not ssl, starttls or none"),
        ("mail.allow_plaintext_local", "maybe", "say yes or no"),
        ("mail.smpt_host", "x", "unknown setting 'mail.smpt_host'"),
        ("mail.address", "a@b.example\r\nBcc: c@d.example", "line break"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            MailSettings().with_value(key, value)


def test_no_tls_only_for_this_machine_and_only_when_allowed() -> None:
    allowed = MailSettings(allow_plaintext_local=True)
    assert plaintext_allowed(allowed, "127.0.0.1")
    assert plaintext_allowed(allowed, "localhost")
    assert not plaintext_allowed(allowed, "mail.example.org")
    assert not plaintext_allowed(MailSettings(), "127.0.0.1")
    require_tls(allowed, Security.NONE, "127.0.0.1", "read")
    require_tls(MailSettings(), Security.STARTTLS, "mail.example.org", "read")
    with pytest.raises(MailFailed, match=r"refusing to send to mail\.example\.org without TLS"):
        require_tls(allowed, Security.NONE, "mail.example.org", "send to")


# --- what a reply says ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are pleased to offer you the position.", Proposal(Decision.OFFER)),
        ("We regret to inform you that we will not proceed.", Proposal(Decision.REJECTED)),
        ("We decided to go with another candidate.", Proposal(Decision.REJECTED)),
        ("Unfortunately the team chose someone else.", Proposal(Decision.REJECTED)),
        # A delay, even with a sad word in it, is not a no.
        (
            "Unfortunately we have not made a decision yet.",
            Proposal(Decision.UNDECIDED),
        ),
        ("We are still interviewing other candidates.", Proposal(Decision.UNDECIDED)),
        ("No decision yet, sorry!", Proposal(Decision.UNDECIDED)),
        ("We haven't reached a decision.", Proposal(Decision.UNDECIDED)),
        ("Thanks, talk soon.", None),
        ("Thank you for your note!", None),
    ],
)
def test_the_decision_a_reply_states(text: str, expected: Proposal | None) -> None:
    found = propose(incoming(text), WEDNESDAY.date())
    got = (found.decision, found.decision_by) if found else None
    assert got == ((expected.decision, expected.decision_by) if expected else None)
    if found is not None:
        assert found.sentence
        assert found.sentence in text


@pytest.mark.parametrize(
    ("text", "by"),
    [
        ("We will decide by 2026-03-20.", date(2026, 3, 20)),
        ("We will get back to you by 20 March.", date(2026, 3, 20)),
        ("We will let you know by the 20th of March.", date(2026, 3, 20)),
        ("We'll have an answer by March 20th.", date(2026, 3, 20)),
        ("We will make a decision by Sept. 4.", date(2026, 9, 4)),
        ("We will decide by Friday.", date(2026, 3, 13)),
        ("We will decide by next Wednesday.", date(2026, 3, 18)),  # never the same day
        # A day already past this year is next year's.
        ("We will decide by 5 January.", date(2027, 1, 5)),
        # The first date named is the one, and a day that does not exist is no date.
        ("We will decide by 31 February, or 3 April at the latest.", date(2026, 4, 3)),
        ("We will decide by the end of the month.", None),
        # A word that merely starts like a month is not one.
        ("We will let you know by then; 2 maybe 3 weeks.", None),
    ],
)
def test_the_date_a_reply_gives_is_read_from_when_it_was_sent(text: str, by: date | None) -> None:
    found = propose(incoming(text), date(2030, 1, 1))
    assert found is not None
    assert (found.decision, found.decision_by) == (Decision.UNDECIDED, by)


def test_a_reply_without_a_date_header_is_read_from_today() -> None:
    proposal = propose(incoming("We will decide by Friday.", at=None), date(2026, 3, 16))
    assert proposal is not None
    assert (proposal.decision, proposal.decision_by) == (Decision.UNDECIDED, date(2026, 3, 20))


def test_the_subject_counts_too() -> None:
    mail = incoming("See attached.", subject="Job offer: Backend Engineer")
    proposal = propose(mail, WEDNESDAY.date())
    assert proposal is not None
    assert proposal.decision is Decision.OFFER


# --- whose reply it is ---------------------------------------------------------------------

SENT = {
    "<thanks@mail.example>": SentMail("acme", "ana", Purpose.THANK_YOU),
    "<status@mail.example>": SentMail("acme", "rui", Purpose.STATUS),
}
BY_ADDRESS = {"ana@acme.example": [("acme-2", "ana"), ("acme", "ana")]}


def test_the_thread_wins_over_the_sender() -> None:
    mail = incoming("Hi", in_reply_to=("<other@x>", "<status@mail.example>"))
    assert match(mail, SENT, BY_ADDRESS) == SENT["<status@mail.example>"]


def test_without_a_known_thread_the_best_contact_with_that_address_is_taken() -> None:
    mail = incoming("Hi", in_reply_to=("<unknown@x>",))
    assert match(mail, SENT, BY_ADDRESS) == SentMail("acme-2", "ana", Purpose.STATUS)


def test_a_stranger_outside_any_thread_is_ignored() -> None:
    assert match(incoming("Hi", sender="news@shop.example"), SENT, BY_ADDRESS) is None
    assert match(incoming("Hi", sender=None), SENT, BY_ADDRESS) is None
