"""R4 (a thank-you to each interviewer) and R5 (whatever the outcome)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind, Channel, Decision, Outcome, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, interview, thanked, touch

POLICY = Policy()


def thank_yous(actions: list[Action]) -> list[Action]:
    return [a for a in actions if a.kind is ActionKind.THANK_YOU_EMAIL]


@pytest.mark.parametrize(
    ("interview_day", "due"),
    [
        ("2026-03-02", "2026-03-04"),  # Monday -> Wednesday
        ("2026-03-05", "2026-03-09"),  # Thursday + 2 = Saturday -> Monday
        ("2026-03-06", "2026-03-09"),  # Friday + 2 = Sunday -> Monday
    ],
)
def test_r4_due_on_the_next_business_day_two_days_later(interview_day: str, due: str) -> None:
    app = application(interviews=(interview(interview_day),))
    (ty,) = thank_yous(plan([app], POLICY, at("2026-03-20")))
    assert ty.due == d(due)
    assert ty.rule == "R4"
    assert ty.channel is Channel.EMAIL
    assert ty.contact == "ana"
    assert ty.id == "thank_you_email:acme-backend:iv1:ana"


def test_r4_a_holiday_pushes_the_thank_you() -> None:
    app = application(interviews=(interview("2026-03-05"),))
    (ty,) = thank_yous(plan([app], POLICY, at("2026-03-20"), Calendar(holidays={d("2026-03-09")})))
    assert ty.due == d("2026-03-10")


def test_r4_the_delay_is_a_policy_key() -> None:
    app = application(interviews=(interview("2026-03-02"),))
    (ty,) = thank_yous(plan([app], Policy(thank_you_delay_days=0), at("2026-03-20")))
    assert ty.due == d("2026-03-02")


def test_r4_one_per_interviewer_done_by_a_thank_you_to_that_person() -> None:
    app = application(
        contacts=(contact("ana"), contact("bea")),
        interviews=(interview(interviewers=("ana", "bea")),),
        touches=(thanked("2026-03-04", "ana"),),
    )
    assert [a.contact for a in thank_yous(plan([app], POLICY, at("2026-03-20")))] == ["bea"]


def test_r4_a_thank_you_before_the_interview_or_a_status_touch_does_not_count() -> None:
    app = application(
        interviews=(interview("2026-03-02"),),
        touches=(
            thanked(at("2026-03-01"), "ana"),
            touch("2026-03-04", Outcome.SENT, contact="ana"),
        ),
    )
    assert len(thank_yous(plan([app], POLICY, at("2026-03-20")))) == 1


def test_r4_without_interviewers_one_thank_you_without_contact() -> None:
    app = application(interviews=(interview(interviewers=()),))
    (ty,) = thank_yous(plan([app], POLICY, at("2026-03-20")))
    assert ty.contact is None
    assert ty.id == "thank_you_email:acme-backend:iv1:-"
    done = replace(app, touches=(replace(thanked("2026-03-04"), contact=None),))
    assert thank_yous(plan([done], POLICY, at("2026-03-20"))) == []


def test_r4_a_thank_you_covers_only_interviews_before_it() -> None:
    app = application(
        interviews=(interview("2026-03-02"), interview("2026-03-10", iid="iv2")),
        touches=(thanked("2026-03-04"),),
    )
    assert [a.id for a in thank_yous(plan([app], POLICY, at("2026-03-20")))] == [
        "thank_you_email:acme-backend:iv2:ana"
    ]


def test_r4_a_dismissed_thank_you_stays_dismissed() -> None:
    app = application(
        interviews=(interview(),), dismissed=frozenset({"thank_you_email:acme-backend:iv1:ana"})
    )
    assert thank_yous(plan([app], POLICY, at("2026-03-20"))) == []


@pytest.mark.parametrize(
    "status", [Status.REJECTED, Status.WITHDRAWN, Status.OFFER, Status.NO_RESPONSE, Status.ACCEPTED]
)
def test_r5_the_thank_you_is_planned_whatever_the_status(status: Status) -> None:
    app = application(status=status, interviews=(interview(),))
    assert len(thank_yous(plan([app], POLICY, at("2026-03-20")))) == 1


def test_r5_a_rejection_does_not_cancel_the_thank_you() -> None:
    app = application(
        interviews=(interview(),),
        touches=(touch("2026-03-03", Outcome.REPLIED, decision=Decision.REJECTED),),
    )
    actions = plan([app], POLICY, at("2026-03-20"))
    assert len(thank_yous(actions)) == 1
    assert not [a for a in actions if a.id == "status:acme-backend"]
