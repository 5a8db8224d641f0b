"""Properties of the planner that must hold for any job search (issue 2, "Tests")."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.calendar import Calendar
from followup.domain.model import (
    STATUS_KINDS,
    Action,
    ActionKind,
    Application,
    Purpose,
    thank_you_action_id,
)
from followup.domain.planner import held, last_attempt_days, plan, plan_application, plan_over_time
from followup.domain.policy import Policy
from tests.strategies import instants, job_searches, policies, zones

T = TypeVar("T")
FOLLOW_UPS = (ActionKind.STATUS_CALL, ActionKind.STATUS_EMAIL)


def _plan(
    apps: list[Application], policy: Policy, now: datetime, tz
) -> tuple[list[Action], Calendar]:
    cal = Calendar(tz)
    return plan(apps, policy, now, cal), cal


@settings(max_examples=250)
@given(job_searches(), policies, instants, zones)
def test_no_follow_up_within_the_gap_of_another_attempt_at_the_company(
    apps, policy, now, tz
) -> None:
    actions, cal = _plan(apps, policy, now, tz)
    by_id = {a.id: a for a in apps}
    for action in actions:
        if action.kind not in FOLLOW_UPS:
            continue
        key = by_id[action.application].company_key
        for app in apps:
            if app.company_key != key:
                continue
            for t in app.touches:
                if t.is_attempt:
                    gap = (action.due - cal.local_date(t.at)).days
                    assert gap >= policy.min_days_between_follow_ups, (action, t)


@settings(max_examples=250)
@given(job_searches(), policies, instants, zones)
def test_no_follow_up_before_the_promised_answer_date(apps, policy, now, tz) -> None:
    actions, _ = _plan(apps, policy, now, tz)
    by_id = {a.id: a for a in apps}
    for action in actions:
        if action.kind in STATUS_KINDS:
            app = by_id[action.application]
            last = max((iv for iv in held(app) if iv.at <= now), key=lambda iv: (iv.at, iv.id))
            if last.answer_by is not None:
                assert action.due > last.answer_by


@given(job_searches(), policies, instants, zones)
def test_a_thank_you_for_every_interviewer_until_one_is_recorded(apps, policy, now, tz) -> None:
    actions, _ = _plan(apps, policy, now, tz)
    planned = {a.id for a in actions if a.kind is ActionKind.THANK_YOU_EMAIL}
    expected = set()
    for app in apps:
        for iv in held(app):
            if iv.at > now:
                continue
            after = [t for t in app.touches if t.purpose is Purpose.THANK_YOU and t.at >= iv.at]
            for cid in iv.interviewers or (None,):
                done = any(t.contact == cid for t in after) if cid else bool(after)
                action_id = thank_you_action_id(app.id, iv.id, cid)
                if not done and action_id not in app.dismissed:
                    expected.add(action_id)
    assert planned == expected


@given(job_searches(), policies, instants, zones)
def test_exactly_one_status_action_per_open_application_with_a_past_interview(
    apps, policy, now, tz
) -> None:
    actions, cal = _plan(apps, policy, now, tz)
    for app in apps:
        mine = [a for a in actions if a.application == app.id and a.kind in STATUS_KINDS]
        expected = 1 if app.is_open and any(iv.at <= now for iv in held(app)) else 0
        assert len(mine) == expected
        for action in mine:
            assert action.id == f"status:{app.id}"
            assert cal.is_business_day(action.due)


@given(job_searches(), policies, instants, zones, st.randoms(use_true_random=False))
def test_the_plan_does_not_depend_on_the_order_of_records(
    apps, policy, now, tz, rnd: random.Random
) -> None:
    def shuffled(items: tuple[T, ...]) -> tuple[T, ...]:
        mixed = list(items)
        rnd.shuffle(mixed)
        return tuple(mixed)

    mixed = [
        replace(
            a,
            contacts=shuffled(a.contacts),
            interviews=shuffled(a.interviews),
            touches=shuffled(a.touches),
        )
        for a in apps
    ]
    rnd.shuffle(mixed)
    assert _plan(apps, policy, now, tz)[0] == _plan(mixed, policy, now, tz)[0]


@given(job_searches(), policies, instants, zones)
def test_actions_are_in_format_order_with_unique_ids(apps, policy, now, tz) -> None:
    actions, _ = _plan(apps, policy, now, tz)
    assert actions == sorted(actions, key=lambda a: a.sort_key)
    assert len({a.id for a in actions}) == len(actions)
    assert sum(1 for a in actions if a.kind is ActionKind.APPLY_MORE) <= 1


@settings(max_examples=40)
@given(job_searches(max_size=3), policies, zones, st.lists(instants, min_size=1, max_size=6))
def test_the_plan_over_time_is_the_plan_at_every_instant(apps, policy, tz, probes) -> None:
    cal = Calendar(tz)
    last = last_attempt_days(apps, cal)
    for app in apps:
        segments = plan_over_time(app, policy, cal, last.get(app.company_key))
        moments = list(probes) + [iv.at for iv in app.interviews]
        moments += [iv.at - timedelta(microseconds=1) for iv in app.interviews]
        for now in moments:
            stored = sorted(
                (p.action for p in segments if p.applies_at(now)), key=lambda a: a.sort_key
            )
            fresh = sorted(
                plan_application(app, policy, now, cal, last.get(app.company_key)),
                key=lambda a: a.sort_key,
            )
            assert stored == fresh
        ids_at_once = [(p.action.id, p.valid_from, p.valid_until) for p in segments]
        assert len(ids_at_once) == len(set(ids_at_once))
