"""What an application with nothing planned is waiting for (R8, R9, R15, R20)."""

from __future__ import annotations

import pytest

from followup.domain.idle import TEXT, Idle, idle
from followup.domain.model import Decision, Outcome, Status
from tests.builders import application, interview, touch


def test_each_case_has_its_own_words() -> None:
    assert set(TEXT) == set(Idle)
    assert len(set(TEXT.values())) == len(Idle)


@pytest.mark.parametrize(
    ("status", "ended", "expected"),
    [
        (Status.ACCEPTED, True, Idle.HIRED),
        (Status.WITHDRAWN, True, Idle.SEARCH_OVER),
        (Status.REJECTED, True, Idle.SEARCH_OVER),
        (Status.OFFER, False, Idle.OFFER),
        (Status.ACTIVE, False, Idle.WAITING),
        (Status.REJECTED, False, Idle.CLOSED),
        (Status.NO_RESPONSE, False, Idle.CLOSED),
        (Status.WITHDRAWN, False, Idle.CLOSED),
    ],
)
def test_by_status(status: Status, ended: bool, expected: Idle) -> None:
    assert idle(application(status=status), ended) is expected


def test_r20_no_word_of_applying_once_an_offer_is_accepted() -> None:
    for case in (Idle.HIRED, Idle.SEARCH_OVER):
        assert "R9" not in TEXT[case]
        assert "apply" not in TEXT[case].lower()


def test_a_company_answer_with_no_interview_waits_for_the_interview() -> None:
    """RULES.md, "Before any interview": the candidate records the interview or closes it."""
    answered = application(touches=(touch("2026-03-10", outcome=Outcome.REACHED),))
    assert idle(answered, False) is Idle.ANSWERED
    after_interview = application(interviews=(interview("2026-03-02"),), touches=answered.touches)
    assert idle(after_interview, False) is Idle.WAITING


def test_r15_a_recorded_offer_is_an_offer_even_while_status_says_active() -> None:
    offered = application(
        touches=(touch("2026-03-10", outcome=Outcome.REACHED, decision=Decision.OFFER),)
    )
    assert idle(offered, False) is Idle.OFFER
