"""R18: one follow-up on an application before any interview (RULES.md, "Before any
interview"), with R10's choice of HR, R13's spacing, holidays and snoozes."""

from __future__ import annotations

from datetime import date, datetime

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind, Application, Channel, Outcome, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, d, hr, interview, touch

NOW = at("2026-03-20")
#: Good Friday 2026 is a public holiday in Portugal (the holidays package names it).
EASTER = Calendar(holidays={date(2026, 4, 3): "Good Friday"})


def waiting(app_id: str = "a", **overrides: object) -> Application:
    """Applied on Mon 2 Mar 2026, no interview, an HR contact with email and phone."""
    base: dict[str, object] = {
        "applied_on": d("2026-03-02"),
        "contacts": (hr(),),
        "interviews": (),
    }
    return application(app_id, **{**base, **overrides})


def status(
    apps: list[Application],
    app_id: str = "a",
    policy: Policy | None = None,
    now: datetime = NOW,
    calendar: Calendar | None = None,
) -> Action | None:
    found = [a for a in plan(apps, policy or Policy(), now, calendar) if a.id == f"status:{app_id}"]
    return found[0] if found else None


def test_r18_two_weeks_after_applying_an_email_to_hr() -> None:
    s = status([waiting()])
    assert s is not None
    assert (s.kind, s.due, s.rule) == (ActionKind.APPLICATION_FOLLOW_UP, d("2026-03-16"), "R18")
    assert (s.contact, s.channel) == ("hr", Channel.EMAIL)
    assert "2 Mar 2026" in s.reason
    assert "14 days have passed" in s.reason


def test_r18_a_call_when_hr_has_only_a_phone() -> None:
    s = status([waiting(contacts=(hr(email=None),))])
    assert s is not None
    assert s.kind is ActionKind.APPLICATION_FOLLOW_UP
    assert s.channel is Channel.PHONE
    assert any("applied for the Backend Engineer position" in line for line in s.script)


def test_r18_with_no_hr_contact_find_one() -> None:
    s = status([waiting(contacts=())])
    assert s is not None
    assert (s.kind, s.rule, s.due) == (ActionKind.FIND_CONTACT, "R10", d("2026-03-16"))
    unreachable = status([waiting(contacts=(hr(email=None, phone=None),))])
    assert unreachable is not None
    assert unreachable.kind is ActionKind.FIND_CONTACT


def test_r10_hr_of_another_application_at_the_company_stands_in() -> None:
    mine = waiting("b", contacts=())
    other = waiting("a", company=" ACME", contacts=(hr("rui"),), status=Status.REJECTED)
    s = status([mine, other], "b")
    assert s is not None
    assert s.kind is ActionKind.APPLICATION_FOLLOW_UP
    assert (s.contact, s.contact_application) == ("rui", "a")
    own = status([waiting("b", contacts=(hr("own"),)), other], "b")
    assert own is not None
    assert (own.contact, own.contact_application) == ("own", None)


def test_r10_takes_the_hr_of_the_smallest_application_id() -> None:
    apps = [
        waiting("c", contacts=()),
        waiting("b", contacts=(hr("zed"),)),
        waiting("a", contacts=(hr("amy"),)),
    ]
    s = status(apps, "c")
    assert s is not None
    assert (s.contact, s.contact_application) == ("amy", "a")


def test_r18_the_delay_is_a_policy_key_and_the_words_follow_it() -> None:
    s = status([waiting()], policy=Policy(application_follow_up_days=10))
    assert s is not None
    assert s.due == d("2026-03-12")
    assert "10 days have passed" in s.reason
    assert "week" not in s.reason
    week = status([waiting()], policy=Policy(application_follow_up_days=7))
    assert week is not None
    assert "a week has passed" in week.reason


def test_r18_zero_turns_it_off_and_with_r19_off_nothing_is_planned() -> None:
    off = Policy(application_follow_up_days=0, stale_after_days=0)
    assert status([waiting()], policy=off) is None
    quiet_only = status([waiting()], policy=Policy(application_follow_up_days=0))
    assert quiet_only is None  # R19 only from day 30 (1 Apr)
    later = status([waiting()], policy=Policy(application_follow_up_days=0), now=at("2026-04-02"))
    assert later is not None
    assert later.kind is ActionKind.GIVE_UP


def test_r18_not_with_an_interview_recorded_past_or_upcoming() -> None:
    upcoming = status([waiting(interviews=(interview("2026-03-30"),))])
    assert upcoming is None
    past = status([waiting(interviews=(interview("2026-03-10"),))])
    assert past is not None
    assert past.kind is not ActionKind.APPLICATION_FOLLOW_UP


def test_r18_not_once_the_company_answered() -> None:
    replied = touch("2026-03-10", Outcome.REPLIED, contact="hr")
    assert status([waiting(touches=(replied,))]) is None


def test_r18_only_for_active_applications() -> None:
    for closed in (Status.REJECTED, Status.WITHDRAWN, Status.NO_RESPONSE, Status.OFFER):
        assert status([waiting(status=closed)]) is None


def test_r18_counts_from_the_day_recorded_when_applied_on_is_unknown() -> None:
    s = status([waiting(applied_on=None, recorded_on=d("2026-03-04"))])
    assert s is not None
    assert s.due == d("2026-03-18")


def test_r18_a_holiday_moves_it_and_explain_names_it() -> None:
    s = status([waiting(applied_on=d("2026-03-20"))], now=at("2026-04-10"), calendar=EASTER)
    assert s is not None
    assert s.due == d("2026-04-06")
    assert any(step.text == "Fri 3 Apr 2026 is Good Friday, not a business day" for step in s.steps)


def test_r18_a_snooze_sets_the_date_and_says_so() -> None:
    s = status([waiting(snoozed_until=d("2026-03-25"))])
    assert s is not None
    assert s.due == d("2026-03-25")
    assert s.rule == "R18"  # a snooze is a choice, not a rule
    assert "you snoozed this application until Wed 25 Mar 2026" in s.reason
    assert any(step.rule == "snooze" and "snooze set" in step.text for step in s.steps)


def test_r18_a_snooze_after_r13_s_date_is_credited_to_r18() -> None:
    """FORMAT.md's ``rule`` is the rule that set the date: R18's date includes the snooze,
    R13's earlier one did not set it."""
    tried = waiting("b", touches=(touch("2026-03-10", Outcome.SENT),))
    unsnoozed = status([waiting(), tried])
    assert unsnoozed is not None
    assert (unsnoozed.due, unsnoozed.rule) == (d("2026-03-17"), "R13")
    s = status([waiting(snoozed_until=d("2026-03-25")), tried])
    assert s is not None
    assert (s.due, s.rule) == (d("2026-03-25"), "R18")


def test_r18_respects_r13_across_the_company() -> None:
    other = waiting(
        "b",
        status=Status.REJECTED,  # closed, but its last attempt still counts (R13)
        interviews=(interview("2026-02-20"),),
        touches=(touch("2026-03-12"),),
    )
    s = status([waiting(), other])
    assert s is not None
    assert (s.due, s.rule) == (d("2026-03-19"), "R13")
    assert "once a week is plenty" in s.reason
    gap = status([waiting(), other], policy=Policy(min_days_between_follow_ups=10))
    assert gap is not None
    assert gap.due == d("2026-03-23")
    assert "once every 10 days" in gap.reason
