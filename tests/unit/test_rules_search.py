"""R9 (never stop looking) and the tone of R8 and R12."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given

from followup.domain.model import ActionKind, Application, Decision, Outcome, Status
from followup.domain.planner import plan
from followup.domain.policy import Policy
from tests.builders import application, at, d, interview, touch
from tests.strategies import instants, job_searches

POLICY = Policy()


TUESDAY = at("2026-03-10")


def apply_more(apps, now=TUESDAY, policy=POLICY):
    return [a for a in plan(apps, policy, now) if a.kind is ActionKind.APPLY_MORE]


def five(applied: str = "2026-03-09") -> list[Application]:
    return [application(f"a{i}", applied_on=d(applied)) for i in range(5)]


def test_r9_with_fewer_than_five_active_applications_apply_for_more_today() -> None:
    (more,) = apply_more(five()[:4])
    assert more.due == d("2026-03-10")
    assert more.id == "apply_more:2026-03-10"
    assert more.rule == "R9"
    assert more.application is None
    assert more.contact is None
    assert "4 active applications" in more.reason


def test_r9_enough_recent_applications_need_nothing() -> None:
    assert apply_more(five()) == []


def test_r9_a_week_without_a_new_application_asks_for_one() -> None:
    assert apply_more(five("2026-03-03")) == []  # 7 days ago: still within the week
    (more,) = apply_more(five("2026-03-02"))
    assert "No new application since" in more.reason


def test_r9_closed_applications_do_not_count_as_active() -> None:
    apps = five()
    apps[0] = replace(apps[0], status=Status.REJECTED)
    assert len(apply_more(apps)) == 1
    apps = five()
    apps[0] = replace(
        apps[0], touches=(touch("2026-03-09", Outcome.REPLIED, decision=Decision.OFFER),)
    )
    assert len(apply_more(apps)) == 1


def test_r9_the_recording_day_counts_when_the_application_day_is_unknown() -> None:
    apps = [replace(a, applied_on=None, recorded_on=d("2026-03-08")) for a in five()]
    assert apply_more(apps) == []


def test_r9_with_no_application_at_all() -> None:
    (more,) = apply_more([])
    assert "0 active applications" in more.reason


def test_r9_thresholds_are_policy_keys() -> None:
    assert apply_more(five()[:2], policy=Policy(min_active_applications=2)) == []
    assert (
        len(apply_more(five("2026-03-07"), policy=Policy(max_days_without_new_application=2))) == 1
    )


DISCOURAGING = (
    "ignored",
    "forgot",
    "hopeless",
    "pushy",
    "annoying",
    "desperate",
    "nagging",
    "bother",
)


@given(job_searches(), instants)
def test_r8_r12_the_words_stay_calm_and_encouraging(apps: list[Application], now) -> None:
    for action in plan(apps, POLICY, now):
        text = " ".join((action.reason, *action.script)).lower()
        assert not any(word in text for word in DISCOURAGING), text
        if action.kind in (ActionKind.STATUS_CALL, ActionKind.STATUS_EMAIL):
            assert "not bad news" in text or "not a no" in text  # R8: silence is not a rejection


def test_r12_follow_ups_are_encouraged() -> None:
    app = application(interviews=(interview(),))
    (status,) = [a for a in plan([app], POLICY, at("2026-03-20")) if a.id == "status:acme-backend"]
    assert "keen" in status.reason or "interest" in status.reason
