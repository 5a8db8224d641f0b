"""R1 (prepare), R2 and R3 (debrief), and which interviews count."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, interview

POLICY = Policy()


def kinds(actions: list[Action]) -> list[str]:
    return [a.kind.value for a in actions]


def test_r1_prepare_is_due_the_day_before_and_carries_the_checklist() -> None:
    app = application(interviews=(interview("2026-03-10"),))
    (prep,) = [a for a in plan([app], POLICY, at("2026-03-05")) if a.application]
    assert prep.kind is ActionKind.PREPARE_INTERVIEW
    assert prep.id == "prepare_interview:acme-backend:iv1"
    assert prep.due == d("2026-03-09")
    assert prep.rule == "R1"
    checklist = " ".join(prep.script)
    for rule in ("R2", "R3", "R7", "R16"):
        assert rule in checklist


def test_r1_prepare_is_listed_until_the_interview_starts() -> None:
    iv = interview("2026-03-10")
    app = application(interviews=(iv,))
    before = plan([app], POLICY, iv.at - timedelta(microseconds=1))
    assert "prepare_interview" in kinds(before)
    after = plan([app], POLICY, iv.at)
    assert "prepare_interview" not in kinds(after)


def test_r1_uses_the_local_date_of_the_interview() -> None:
    iv = interview(at("2026-03-03", 0, 30))  # 06:00 in Kolkata, 19:30 the day before in New York
    app = application(interviews=(iv,))
    now = at("2026-02-20")
    kolkata = plan([app], POLICY, now, Calendar(ZoneInfo("Asia/Kolkata")))
    new_york = plan([app], POLICY, now, Calendar(ZoneInfo("America/New_York")))
    assert [a.due for a in kolkata if a.application] == [d("2026-03-02")]
    assert [a.due for a in new_york if a.application] == [d("2026-03-01")]


def test_an_upcoming_interview_leads_only_to_preparation() -> None:
    app = application(interviews=(interview("2026-03-10", interviewers=()),))
    assert [a.kind for a in plan([app], POLICY, at("2026-03-05")) if a.application] == [
        ActionKind.PREPARE_INTERVIEW
    ]


def test_r2_debrief_while_no_interviewer_is_recorded() -> None:
    app = application(interviews=(interview(interviewers=()),))
    (debrief,) = [a for a in plan([app], POLICY, at("2026-03-03")) if a.kind is ActionKind.DEBRIEF]
    assert debrief.due == d("2026-03-02")
    assert debrief.rule == "R2"
    assert debrief.id == "debrief:acme-backend:iv1"
    assert any("who interviewed you" in line for line in debrief.script)


def test_r2_debrief_while_a_name_spelling_is_not_confirmed() -> None:
    app = application(contacts=(contact("ana", name_confirmed=False),), interviews=(interview(),))
    (debrief,) = [a for a in plan([app], POLICY, at("2026-03-03")) if a.kind is ActionKind.DEBRIEF]
    assert any("spelling of Ana Example" in line for line in debrief.script)


def test_r2_debrief_while_an_interviewer_has_neither_email_nor_phone() -> None:
    app = application(contacts=(contact("ana", email=None, phone=None),), interviews=(interview(),))
    (debrief,) = [a for a in plan([app], POLICY, at("2026-03-03")) if a.kind is ActionKind.DEBRIEF]
    assert any("email or phone" in line for line in debrief.script)
    with_phone = replace(app, contacts=(contact("ana", email=None),))
    assert ActionKind.DEBRIEF not in [a.kind for a in plan([with_phone], POLICY, at("2026-03-03"))]


def test_r3_debrief_while_the_end_of_interview_questions_are_unanswered() -> None:
    for unknown in (
        replace(interview(), contacts_every_applicant=None),
        replace(interview(), direct_contact_ok=None),
    ):
        app = application(interviews=(unknown,))
        debriefs = [
            a for a in plan([app], POLICY, at("2026-03-03")) if a.kind is ActionKind.DEBRIEF
        ]
        assert len(debriefs) == 1
        assert debriefs[0].rule == "R3"


def test_no_debrief_once_everything_is_known() -> None:
    app = application(interviews=(interview(),))
    assert ActionKind.DEBRIEF not in [a.kind for a in plan([app], POLICY, at("2026-03-20"))]


def test_a_false_answer_is_an_answer() -> None:
    app = application(
        interviews=(interview(contacts_every_applicant=False, direct_contact_ok=False),)
    )
    assert ActionKind.DEBRIEF not in [a.kind for a in plan([app], POLICY, at("2026-03-03"))]


def test_a_dismissed_debrief_stays_dismissed() -> None:
    app = application(
        interviews=(interview(interviewers=()),), dismissed=frozenset({"debrief:acme-backend:iv1"})
    )
    assert ActionKind.DEBRIEF not in [a.kind for a in plan([app], POLICY, at("2026-03-03"))]
