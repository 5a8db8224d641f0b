"""R13, step 8: the status follow-ups the plan gives the applications at one company are
spaced by ``min_days_between_follow_ups``, in the rule's order, each moved one placed
again by step 7 (business days, the window's days)."""

from __future__ import annotations

from datetime import date, datetime

from followup.domain.calendar import Calendar
from followup.domain.model import Action, ActionKind, Application, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, contact, d, hr, interview, touch, window

NOW = at("2026-03-20")


def due(
    apps: list[Application],
    policy: Policy | None = None,
    now: datetime = NOW,
    calendar: Calendar | None = None,
) -> dict[str, Action]:
    return {
        a.application: a
        for a in plan(apps, policy or Policy(), now, calendar)
        if a.id.startswith("status:") and a.application
    }


def test_step8_same_interview_day_the_smaller_id_first() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application("b", interviews=(interview("2026-03-02"),))
    found = due([b, a])
    assert (found["a"].due, found["b"].due) == (d("2026-03-09"), d("2026-03-16"))
    assert found["b"].rule == "R13"
    assert any("company spacing" in s.text for s in found["b"].steps)
    assert "once a week is plenty" in found["b"].reason


def test_step8_the_older_last_interview_goes_first_at_an_equal_due_date() -> None:
    older = application("z", interviews=(interview(at("2026-03-02", 9)),))
    newer = application("a", interviews=(interview(at("2026-03-02", 15)),))
    found = due([older, newer])
    assert (found["z"].due, found["a"].due) == (d("2026-03-09"), d("2026-03-16"))


def test_step8_an_application_with_no_interview_comes_after_one_with() -> None:
    waiting = application("a", applied_on=d("2026-02-23"), contacts=(hr(),))  # R18: 9 Mar
    interviewed = application("b", interviews=(interview("2026-03-02"),))  # R6: 9 Mar
    found = due([waiting, interviewed])
    assert found["b"].due == d("2026-03-09")
    assert (found["a"].kind, found["a"].due) == (ActionKind.APPLICATION_FOLLOW_UP, d("2026-03-16"))


def test_step8_three_in_a_row_and_the_gap_is_the_policy_key() -> None:
    apps = [application(x, interviews=(interview("2026-03-02"),)) for x in "abc"]
    found = due(apps, Policy(min_days_between_follow_ups=3))
    assert [found[x].due for x in "abc"] == [d("2026-03-09"), d("2026-03-12"), d("2026-03-16")]
    assert "once every 3 days" in found["b"].reason
    assert "week" not in found["b"].reason


def test_step8_a_moved_call_lands_on_the_windows_days() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application(
        "b", interviews=(interview("2026-03-02", contact_window=window("mon,tue"), iid="iv"),)
    )
    found = due([a, b])
    # b's own first day is Mon 9 Mar; spaced to Mon 16 Mar, which is in its window.
    assert found["b"].due == d("2026-03-16")
    c = application(
        "c",
        interviews=(
            interview(
                "2026-03-02",
                contact_window=window("wed"),
            ),
        ),
    )
    found = due([a, c])
    assert found["c"].due == d("2026-03-18")  # 16 Mar at the earliest, then its Wednesday
    found = due([a, c], Policy(min_days_between_follow_ups=2))
    assert found["c"].due == d("2026-03-11")  # Wed 11 Mar is already 2 days after Mon 9 Mar


def test_step8_a_moved_one_skips_a_holiday() -> None:
    easter = Calendar(holidays={date(2026, 4, 3): "Good Friday"})
    a = application("a", interviews=(interview("2026-03-20"),))  # Fri 27 Mar
    b = application("b", interviews=(interview("2026-03-20"),))
    found = due([a, b], now=at("2026-04-10"), calendar=easter)
    assert found["b"].due == d("2026-04-06")
    assert any("Good Friday" in s.text for s in found["b"].steps)


def test_step8_a_later_one_keeps_its_date_when_far_enough() -> None:
    a = application("a", interviews=(interview("2026-03-02"),))
    b = application("b", interviews=(interview("2026-03-10"),))
    found = due([a, b])
    assert (found["a"].due, found["b"].due) == (d("2026-03-09"), d("2026-03-17"))


def test_step8_spacing_follows_a_snoozed_one() -> None:
    a = application("a", interviews=(interview("2026-03-02"),), snoozed_until=d("2026-03-12"))
    b = application("b", interviews=(interview("2026-03-03"),))
    found = due([a, b])
    assert (found["b"].due, found["a"].due) == (d("2026-03-10"), d("2026-03-17"))
    assert found["a"].rule == "R13"


def test_step8_give_up_find_contact_and_withdraw_are_not_spaced() -> None:
    tried = tuple(touch(x) for x in ("2026-03-09", "2026-03-16", "2026-03-23"))
    gone = application("a", interviews=(interview("2026-03-02"),), touches=tried)
    nobody = application(
        "b",
        contacts=(contact("ana", email=None, phone=None),),
        interviews=(interview("2026-03-02"),),
    )
    found = due([gone, nobody], now=at("2026-04-20"))
    assert found["a"].kind is ActionKind.GIVE_UP
    assert found["b"].kind is ActionKind.FIND_CONTACT
    assert found["a"].due == found["b"].due == d("2026-03-30")


def test_step8_only_open_applications_take_part() -> None:
    closed = application("a", status=Status.REJECTED, interviews=(interview("2026-03-02"),))
    b = application("b", interviews=(interview("2026-03-02"),))
    assert due([closed, b])["b"].due == d("2026-03-09")


def test_a_snooze_that_sets_a_give_up_date_says_so() -> None:
    """Not step 8, but the same words: a snoozed date names the snooze (issue 9)."""
    tried = tuple(touch(x) for x in ("2026-03-09", "2026-03-16", "2026-03-23"))
    a = application(
        "a", interviews=(interview("2026-03-02"),), touches=tried, snoozed_until=d("2026-04-08")
    )
    s = due([a], now=at("2026-04-20"))["a"]
    assert (s.kind, s.due) == (ActionKind.GIVE_UP, d("2026-04-08"))
    assert "you snoozed this application until Wed 8 Apr 2026" in s.reason
