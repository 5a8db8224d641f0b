"""What a person's reply says (``domain.replies``): many phrasings, five languages, and the
kinds of message that are not replies at all (issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.mailbox import IncomingMail
from followup.domain.model import Decision
from followup.domain.replies import Kind, first_date, message_key, normalise, propose, read_kind

TUESDAY = datetime(2026, 3, 10, 9, tzinfo=UTC)
OWN = frozenset({"maria@mail.example"})


def mail(
    text: str = "",
    *,
    headers: tuple[tuple[str, str], ...] = (),
    sender: str = "ana@acme.example",
    bounced: tuple[str, ...] = (),
    message_id: str | None = "<m@acme.example>",
) -> IncomingMail:
    return IncomingMail(1, message_id, (), sender, "Re: hello", TUESDAY, text, headers, bounced)


REJECTED, UNDECIDED, OFFER = Decision.REJECTED, Decision.UNDECIDED, Decision.OFFER


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("We've decided to move forward with other candidates.", REJECTED),
        ("We will not be moving forward with your candidacy.", REJECTED),
        ("We have chosen to pursue other applicants.", REJECTED),
        ("Unfortunately you were not selected for this role.", REJECTED),
        ("We won\u2019t be progressing your application.", REJECTED),
        ("The position is no longer available.", REJECTED),
        ("Sadly we are unable to offer you the role.", REJECTED),
        ("Unfortunately we went with someone else.", REJECTED),
        ("We\u2019d like to offer you the job!", OFFER),
        ("We want to make you an offer.", OFFER),
        ("Unfortunately we have not decided yet.", UNDECIDED),
        ("We haven't made a final decision yet.", UNDECIDED),
        ("Unfortunately we are running behind schedule.", UNDECIDED),
        ("The process is still ongoing.", UNDECIDED),
        ("We are still meeting other candidates.", UNDECIDED),
        ("We expect to make a decision by the end of\nnext week.", UNDECIDED),
        ("Infelizmente ainda n\u00e3o decidimos.", UNDECIDED),
        ("Decidimos n\u00e3o avan\u00e7ar com a sua candidatura.", REJECTED),
        ("Hemos decidido no avanzar con tu candidatura.", REJECTED),
        ("Lamentablemente a\u00fan no hemos decidido.", UNDECIDED),
        ("Nous avons d\u00e9cid\u00e9 de ne pas donner suite.", REJECTED),
        ("Malheureusement, nous n'avons pas encore pris de d\u00e9cision.", UNDECIDED),
        ("Wir haben uns gegen Sie entschieden.", REJECTED),
        ("Leider haben wir noch keine Entscheidung getroffen.", UNDECIDED),
        ("Wir m\u00f6chten Ihnen die Stelle anbieten.", OFFER),
        ("NOUS AVONS LE PLAISIR DE VOUS PROPOSER LE POSTE", OFFER),  # any case, no accents
    ],
)
def test_phrasings(text: str, decision: Decision) -> None:
    proposal = propose(mail(text), TUESDAY.date())
    assert proposal is not None
    assert proposal.decision is decision
    assert " ".join(proposal.sentence.split()) in " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, I will pass it on.",
        "Sorry for the delay in replying, I was travelling. Talk soon!",
        "You were selected for the next round? Not yet, we will see.",
    ],
)
def test_no_decision_is_read_into_a_plain_answer(text: str) -> None:
    proposal = propose(mail(text), TUESDAY.date())
    assert proposal is None or proposal.decision is not REJECTED


@given(st.sampled_from(["\n", "  ", "\r\n", "\t", " \n "]))
def test_a_phrase_split_by_any_spacing_is_still_read(gap: str) -> None:
    proposal = propose(mail(f"We regret{gap}to inform you."), TUESDAY.date())
    assert proposal is not None
    assert proposal.decision is REJECTED


def test_normalise_folds_accents_quotes_case_and_spacing() -> None:
    assert normalise("N\u00e3o  \u201cDECIDIMOS\u201d\nainda \u2019") == 'nao "decidimos" ainda \''
    assert normalise("Gr\u00fc\u00dfe") == "grusse"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 20 March", date(2026, 3, 20)),
        ("by March 9", date(2027, 3, 9)),  # the day before the reply: next year's
        ("by 10 March", date(2026, 3, 10)),  # the day of the reply itself
        ("by 9 March 2026", date(2026, 3, 9)),  # a written year is kept
        ("at\u00e9 20 de mar\u00e7o de 2027", date(2027, 3, 20)),
        ("antes del 3 de abril", date(2026, 4, 3)),
        ("d'ici le 1er avril", date(2026, 4, 1)),
        ("bis zum 2. April", date(2026, 4, 2)),
        ("bis 27.03.2026", date(2026, 3, 27)),
        ("by 3/27", date(2026, 3, 27)),
        ("at\u00e9 sexta-feira", date(2026, 3, 13)),
        ("bis Freitag", date(2026, 3, 13)),
        ("avant vendredi", date(2026, 3, 13)),
        ("soon", None),
    ],
)
def test_dates_with_their_year_or_the_nearest_after_the_reply(
    text: str, expected: date | None
) -> None:
    assert first_date(text, TUESDAY.date()) == expected


def test_kinds() -> None:
    assert read_kind(mail("hi"), OWN).kind is Kind.REPLY
    assert read_kind(mail("hi", sender="maria@mail.example"), OWN).kind is Kind.OWN
    assert read_kind(mail(bounced=("ana@acme.example",)), OWN).kind is Kind.BOUNCE
    for headers, why in [
        ((("Auto-Submitted", "auto-replied"),), "Auto-Submitted: auto-replied"),
        ((("X-Autoreply", "yes"),), "x-autoreply: yes"),
        ((("Precedence", "bulk"),), "Precedence: bulk"),
        ((("List-Unsubscribe", "<mailto:u@x>"),), "a mailing (list-unsubscribe)"),
        ((("Content-Type", 'multipart/report; report-type="disposition-notification"'),),
         "a read receipt"),
    ]:  # fmt: skip
        assert read_kind(mail(headers=headers), OWN).why == why
    assert read_kind(mail(headers=(("Auto-Submitted", "no"),)), OWN).kind is Kind.REPLY
    assert read_kind(mail(sender="no-reply@acme.example"), OWN).kind is Kind.AUTOMATIC
    assert read_kind(mail(sender="noreply+jobs@acme.example"), OWN).kind is Kind.AUTOMATIC
    assert read_kind(mail(sender="MAILER-DAEMON@x.example".lower()), OWN).kind is Kind.AUTOMATIC
    assert read_kind(mail(sender="noreen@acme.example"), OWN).kind is Kind.REPLY


def test_a_key_without_message_id_depends_on_the_message_only() -> None:
    a, b = mail("hello", message_id=None), mail("hello", message_id=None)
    assert message_key(a) == message_key(b)
    assert message_key(a) != message_key(mail("hello again", message_id=None))
    assert message_key(mail("x")) == "<m@acme.example>"
