"""R19: an application with no interview and no answer goes quiet, after R18's follow-up
went unanswered or after ``stale_after_days``; and the stored plan sees that day come."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind, Application, Outcome
from followup.domain.planner import changes, plan, plan_company_over_time
from followup.domain.policy import Policy
from tests.builders import LISBON, application, at, d, hr, interview, touch

NOW = at("2026-03-20")


def waiting(app_id: str = "a", **overrides: object) -> Application:
    base: dict[str, object] = {"applied_on": d("2026-03-02"), "contacts": (hr(),)}
    return application(app_id, **{**base, **overrides})


def status(
    apps: list[Application],
    policy: Policy | None = None,
    now: datetime = NOW,
    calendar: Calendar | None = None,
) -> Action:
    (found,) = [a for a in plan(apps, policy or Policy(), now, calendar) if a.id == "status:a"]
    return found


SENT = touch("2026-03-16", Outcome.SENT, contact="hr")


def test_r19_after_one_unanswered_follow_up_let_it_go() -> None:
    s = status([waiting(touches=(SENT,))])
    assert (s.kind, s.rule) == (ActionKind.GIVE_UP, "R19")
    assert s.due == d("2026-04-01")  # applied + 30 days, later than the attempt + 7
    assert "your 1 follow-up went unanswered" in s.reason


def test_r19_the_date_is_the_later_of_the_age_and_the_spacing_after_the_attempt() -> None:
    s = status([waiting(touches=(SENT,))], policy=Policy(stale_after_days=10))
    assert s.due == d("2026-03-23")  # attempt on the 16th + 7 days
    never = status([waiting(touches=(SENT,))], policy=Policy(stale_after_days=0))
    assert never.due == d("2026-03-23")


def test_r19_after_stale_after_days_even_with_no_attempt() -> None:
    assert status([waiting()], now=at("2026-03-31", 23)).kind is ActionKind.APPLICATION_FOLLOW_UP
    s = status([waiting()], now=at("2026-04-01", 0))
    assert (s.kind, s.due, s.rule) == (ActionKind.GIVE_UP, d("2026-04-01"), "R19")
    assert "30 days have passed since you applied on Mon 2 Mar 2026" in s.reason


def test_r19_the_words_follow_the_policy() -> None:
    s = status([waiting()], policy=Policy(stale_after_days=7), now=at("2026-03-10"))
    assert s.kind is ActionKind.GIVE_UP
    assert "a week has passed" in s.reason
    assert "30" not in s.reason


def test_r19_more_follow_ups_allowed_by_the_policy() -> None:
    s = status([waiting(touches=(SENT,))], policy=Policy(max_application_follow_ups=2))
    assert s.kind is ActionKind.APPLICATION_FOLLOW_UP
    assert (s.due, s.rule) == (d("2026-03-23"), "R13")
    two = (SENT, touch("2026-03-23", Outcome.SENT, contact="hr"))
    s = status([waiting(touches=two)], policy=Policy(max_application_follow_ups=2))
    assert s.kind is ActionKind.GIVE_UP


def test_r19_zero_never_gives_up_by_age() -> None:
    s = status([waiting()], policy=Policy(stale_after_days=0), now=at("2026-09-01"))
    assert s.kind is ActionKind.APPLICATION_FOLLOW_UP


def test_r19_not_for_an_application_with_an_interview() -> None:
    s = status([waiting(interviews=(interview("2026-03-05"),))], now=at("2026-05-01"))
    assert s.kind is ActionKind.STATUS_CALL


def test_r19_a_holiday_moves_its_date() -> None:
    easter = Calendar(holidays={date(2026, 4, 3): "Good Friday"})
    s = status([waiting(applied_on=d("2026-03-04"))], now=at("2026-04-10"), calendar=easter)
    assert s.due == d("2026-04-06")  # Fri 3 Apr is Good Friday, then the weekend
    assert any("Good Friday" in step.text for step in s.steps)


def test_r19_the_quiet_day_is_a_boundary_of_the_stored_plan() -> None:
    """The plan changes at the local midnight starting applied + 30 days, with no record
    changing: plan_company_over_time ends the R18 segment and starts R19's there."""
    cal = Calendar(LISBON)
    app = waiting()
    midnight = datetime.combine(d("2026-04-01"), time(), LISBON)
    assert changes([app], Policy(), cal) == [midnight]
    ((_, planned),) = plan_company_over_time([app], Policy(), cal, accepted=False)
    (before,) = [p for p in planned if p.action.kind is ActionKind.APPLICATION_FOLLOW_UP]
    (after,) = [p for p in planned if p.action.kind is ActionKind.GIVE_UP]
    assert before.valid_until == after.valid_from == midnight
    assert before.applies_at(midnight - timedelta(microseconds=1))
    assert after.applies_at(midnight)
    assert not changes([app], Policy(stale_after_days=0), cal)


def test_r19_counts_attempts_even_with_r18_off() -> None:
    s = status([waiting(touches=(SENT,))], policy=Policy(application_follow_up_days=0))
    assert (s.kind, s.due) == (ActionKind.GIVE_UP, d("2026-04-01"))
    off = Policy(application_follow_up_days=0, stale_after_days=0)
    assert not [a for a in plan([waiting(touches=(SENT,))], off, NOW) if a.id == "status:a"]
