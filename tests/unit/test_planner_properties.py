"""Properties of the planner that must hold for any job search (issue 2, "Tests")."""

from __future__ import annotations

import itertools
import random
import re
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
    Status,
    thank_you_action_id,
)
from followup.domain.planner import (
    anchored,
    by_company,
    changes,
    plan,
    plan_company,
    plan_company_over_time,
    search_ended,
)
from followup.domain.policy import Policy
from tests.rule_events import record_rules
from tests.strategies import instants, job_searches, policies, zones

T = TypeVar("T")
FOLLOW_UPS = (ActionKind.STATUS_CALL, ActionKind.STATUS_EMAIL, ActionKind.APPLICATION_FOLLOW_UP)
BEFORE_INTERVIEW = (ActionKind.APPLICATION_FOLLOW_UP, ActionKind.FIND_CONTACT, ActionKind.GIVE_UP)


def _plan(
    apps: list[Application], policy: Policy, now: datetime, tz
) -> tuple[list[Action], Calendar]:
    """The plan, with the rules it reached as Hypothesis events (``make soak`` counts them)."""
    cal = Calendar(tz)
    actions = plan(apps, policy, now, cal)
    record_rules(actions, apps)
    return actions, cal


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
            past = [iv for iv in app.held_interviews if iv.at <= now]
            if not past or action.kind is ActionKind.WITHDRAW:
                continue  # R18-R19 before any interview; R20 is due today whatever was promised
            last = max(past, key=lambda iv: (iv.at, iv.id))
            if last.answer_by is not None:
                assert action.due > last.answer_by


@given(job_searches(), policies, instants, zones)
def test_a_thank_you_for_every_interviewer_until_one_is_recorded(apps, policy, now, tz) -> None:
    actions, _ = _plan(apps, policy, now, tz)
    planned = {a.id for a in actions if a.kind is ActionKind.THANK_YOU_EMAIL}
    expected = set()
    for app in apps:
        for iv in app.held_interviews:
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
    ended = search_ended(apps)
    for app in apps:
        mine = [a for a in actions if a.application == app.id and a.kind in STATUS_KINDS]
        if ended:  # R20: a withdrawal for each other live process, and nothing else
            expected = int(app.effective_status in (Status.ACTIVE, Status.OFFER))
            assert all(a.kind is ActionKind.WITHDRAW for a in mine)
        elif app.is_open and any(iv.at <= now for iv in app.held_interviews):
            expected = 1
        elif app.is_open and not app.held_interviews:  # R18, R19: at most one, never a chain
            expected = min(len(mine), 1)
            assert all(a.kind in BEFORE_INTERVIEW for a in mine)
        else:
            expected = 0
        assert len(mine) == expected
        for action in mine:
            assert action.id == f"status:{app.id}"
            assert action.kind is ActionKind.WITHDRAW or cal.is_business_day(action.due)


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
    """Also across R19's quiet day (a time boundary that is no interview) and with R20's
    undated withdrawals, dated on the day they are read."""
    cal = Calendar(tz)
    accepted = search_ended(apps)
    for company in by_company(apps).values():
        bounds = changes(company, policy, cal)
        moments = list(probes) + bounds + [b - timedelta(microseconds=1) for b in bounds]
        for app, segments in plan_company_over_time(company, policy, cal, accepted):
            for now in moments:
                today = cal.local_date(now)
                stored = sorted(
                    (anchored(p.action, today) for p in segments if p.applies_at(now)),
                    key=lambda a: a.sort_key,
                )
                fresh = plan_company(company, policy, now, cal, accepted)[app.id]
                assert stored == sorted(fresh, key=lambda a: a.sort_key)
            ids_at_once = [(p.action.id, p.valid_from, p.valid_until) for p in segments]
            assert len(ids_at_once) == len(set(ids_at_once))


# --- rules, second version (issue 9) ------------------------------------------------------


@settings(max_examples=250)
@given(job_searches(), policies, instants, zones)
def test_no_two_planned_follow_ups_at_one_company_closer_than_the_gap(
    apps, policy, now, tz
) -> None:
    """R13, step 8: the plan itself keeps a company's follow-ups apart."""
    actions, _ = _plan(apps, policy, now, tz)
    by_id = {a.id: a for a in apps}
    planned: dict[str, list[Action]] = {}
    for action in actions:
        if action.kind in FOLLOW_UPS:
            planned.setdefault(by_id[action.application].company_key, []).append(action)
    for company in planned.values():
        days = sorted(a.due for a in company)
        for earlier, later in itertools.pairwise(days):
            assert (later - earlier).days >= policy.min_days_between_follow_ups


@given(job_searches(), policies, instants, zones)
def test_an_accepted_offer_leaves_no_apply_more_and_no_status_follow_up(
    apps, policy, now, tz
) -> None:
    """R20, over searches where some application is accepted."""
    apps = [*apps, replace(apps[0], id="won", status=Status.ACCEPTED)] if apps else apps
    actions, cal = _plan(apps, policy, now, tz)
    if not search_ended(apps):
        return
    assert not any(a.kind is ActionKind.APPLY_MORE for a in actions)
    for action in actions:
        assert action.kind not in (*FOLLOW_UPS, ActionKind.GIVE_UP, ActionKind.FIND_CONTACT)
        if action.kind is ActionKind.WITHDRAW:
            assert action.due == cal.local_date(now)


_DAYS = re.compile(r"\b(\d+) days?\b")


@settings(max_examples=250)
@given(job_searches(), policies, instants, zones)
def test_no_reason_names_a_number_of_days_the_policy_does_not_have(apps, policy, now, tz) -> None:
    """ "Words the product uses": reasons say the policy's numbers as set, "a week" only
    when a setting is 7."""
    actions, _ = _plan(apps, policy, now, tz)
    values = set(policy.as_dict().values())
    for action in actions:
        for number in _DAYS.findall(action.reason):
            assert int(number) in values, (number, action.reason, policy)
        if "week" in action.reason:
            assert 7 in values, (action.reason, policy)
