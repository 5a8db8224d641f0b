"""The planner: from the records of a job search to what to do next, and why.

``plan(applications, policy, now, calendar)`` is a pure function: it reads no clock and
does no I/O. One function per rule family below; each action carries the rule that set
its due date, a reason in plain words (calm and encouraging, R8 and R12) and, for the
status follow-up, every step of RULES.md's computation so ``explain`` can show it.

The applications at one company are planned together (:func:`plan_company`): their
status follow-ups share R13's limit, step 8 spaces them, and R10 may borrow one's HR
contact for another. An accepted offer anywhere (R20) changes every other plan.

The plan of a company changes with time only when ``now`` passes one of its interviews
(RULES.md, "Which interviews count") or the local midnight at which an application with
no interview goes quiet (R19, ``stale_after_days``). :func:`plan_company_over_time`
uses that to give the plan for every instant at once, as segments between those
instants; the store keeps the segments so that reading today's plan is an indexed read.
R20's ``withdraw`` is due on whatever day it is read, like R9's ``apply_more``: the
segments keep it undated (:data:`UNDATED`) and :func:`anchored` dates it when read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from followup.domain import drafts, words
from followup.domain.calendar import ONE_DAY, Calendar
from followup.domain.follow_up import (
    Company,
    Spacing,
    before_interview,
    company_context,
    holiday_steps,
    status_follow_up,
    withdraw,
)
from followup.domain.model import (
    SPACED_KINDS,
    Action,
    ActionKind,
    Application,
    Channel,
    Interview,
    Purpose,
    Status,
    Step,
    debrief_action_id,
    prepare_action_id,
    thank_you_action_id,
)
from followup.domain.policy import Policy
from followup.domain.reading import UNDATED as UNDATED  # noqa: PLC0414 - re-exported
from followup.domain.reading import Planned as Planned  # noqa: PLC0414
from followup.domain.reading import anchored as anchored  # noqa: PLC0414
from followup.domain.reading import apply_more as apply_more  # noqa: PLC0414

_TICK = timedelta(microseconds=1)
#: A probe for a plan with no time boundary: any instant would do, and this one still has
#: a local date in every zone (``datetime.min`` has none west of UTC).
_EARLY = datetime(2, 1, 1, tzinfo=UTC)


def plan(
    applications: Iterable[Application],
    policy: Policy,
    now: datetime,
    calendar: Calendar | None = None,
) -> list[Action]:
    """Every action that applies at ``now``, in FORMAT.md order (due dates are not filtered)."""
    cal = calendar or Calendar()
    apps = list(applications)
    accepted = search_ended(apps)
    actions: list[Action] = []
    for company in by_company(apps).values():
        for found in plan_company(company, policy, now, cal, accepted).values():
            actions += found
    more = apply_more(
        sum(1 for a in apps if a.is_open),
        max((d for a in apps if (d := a.added_on) is not None), default=None),
        policy,
        cal.local_date(now),
        ended=accepted,
    )
    if more is not None:
        actions.append(more)
    actions.sort(key=lambda a: a.sort_key)
    return actions


def search_ended(apps: Iterable[Application]) -> bool:
    """R20: an accepted offer ends the search."""
    return any(a.status is Status.ACCEPTED for a in apps)


def by_company(apps: Iterable[Application]) -> dict[str, list[Application]]:
    """The applications grouped by company (R13's "same company"), in their given order."""
    found: dict[str, list[Application]] = defaultdict(list)
    for app in apps:
        found[app.company_key].append(app)
    return dict(found)


def last_attempt_days(apps: Iterable[Application], calendar: Calendar) -> dict[str, date]:
    """For each company, the local day of its latest status attempt, any application (R13)."""
    latest: dict[str, datetime] = {}
    for app in apps:
        attempts = [t.at for t in app.touches if t.is_attempt]
        if attempts:
            key, last = app.company_key, max(attempts)
            if key not in latest or last > latest[key]:
                latest[key] = last
    return {key: calendar.local_date(at) for key, at in latest.items()}


def plan_company(
    apps: list[Application],
    policy: Policy,
    now: datetime,
    calendar: Calendar,
    accepted: bool,
) -> dict[str, list[Action]]:
    """The actions at ``now`` of the applications at one company, by application id.

    ``accepted``: some application of the whole search is accepted (R20).
    """
    latest = max((t.at for a in apps for t in a.touches if t.is_attempt), default=None)
    company = company_context(apps, calendar.local_date(latest) if latest else None)
    today = calendar.local_date(now)
    found: dict[str, list[Action]] = {}
    status: list[tuple[Application, Interview | None, Action]] = []
    for app in apps:
        actions, past = _interview_actions(app, policy, now, calendar)
        last = past[-1] if past else None
        action = _status(app, last, policy, calendar, company, accepted, today)
        if action is not None:
            if action.kind in SPACED_KINDS:
                status.append((app, last, action))
            else:
                actions.append(action)
        found[app.id] = actions
    for app, action in _spaced(status, policy, calendar, company, accepted, today):
        found[app.id].append(action)
    return found


def _status(
    app: Application,
    last: Interview | None,
    policy: Policy,
    calendar: Calendar,
    company: Company,
    accepted: bool,
    today: date,
    spacing: Spacing | None = None,
) -> Action | None:
    """The one status action of an application (R20, then R6-R17, then R18-R19)."""
    if accepted:
        return withdraw(app, last, company, today)
    if last is not None:
        return status_follow_up(app, last, policy, calendar, company, spacing)
    return before_interview(app, policy, calendar, company, today, spacing)


def _spaced(
    planned: list[tuple[Application, Interview | None, Action]],
    policy: Policy,
    calendar: Calendar,
    company: Company,
    accepted: bool,
    today: date,
) -> list[tuple[Application, Action]]:
    """Step 8 (R13): the company's follow-ups, each at least the gap after the previous.

    Order: due date, then last interview (the older first, none last), then application id;
    a moved one is placed again by steps 1-7 from the day the spacing allows.
    """
    gap = policy.min_days_between_follow_ups

    def order(item: tuple[Application, Interview | None, Action]) -> tuple[object, ...]:
        app, last, action = item
        return (action.due, last is None, last.at.timestamp() if last else 0.0, app.id)

    placed: list[tuple[Application, Action]] = []
    previous: tuple[Application, Action] | None = None
    for app, last, first in sorted(planned, key=order):
        action = first
        if previous is not None:
            allowed = previous[1].due + timedelta(days=gap)
            if action.due < allowed:
                spacing = Spacing(allowed, previous[0].position, gap)
                moved = _status(app, last, policy, calendar, company, accepted, today, spacing)
                assert moved is not None
                assert moved.due >= allowed
                action = moved
        placed.append((app, action))
        previous = (app, action)
    return placed


def _interview_actions(
    app: Application, policy: Policy, now: datetime, calendar: Calendar
) -> tuple[list[Action], list[Interview]]:
    """R1 to R5 for each interview, and the interviews that have taken place at ``now``."""
    past: list[Interview] = []
    actions: list[Action] = []
    for iv in sorted(app.held_interviews, key=_interview_order):
        if iv.at > now:
            actions.append(_prepare(app, iv, calendar))
        else:
            past.append(iv)
            day = calendar.local_date(iv.at)
            debrief = _debrief(app, iv, day)
            if debrief is not None:
                actions.append(debrief)
            actions += _thank_yous(app, iv, day, policy, calendar)
    if app.dismissed:
        actions = [a for a in actions if a.id not in app.dismissed]
    return actions, past


def changes(apps: Iterable[Application], policy: Policy, calendar: Calendar) -> list[datetime]:
    """The instants at which a company's plan may change by itself: its interviews, and
    the start of the day each application with no interview goes quiet (R19)."""
    found = {iv.at for app in apps for iv in app.held_interviews}
    if policy.stale_after_days:
        found |= {
            calendar.starts(added + timedelta(days=policy.stale_after_days))
            for app in apps
            if not app.held_interviews and (added := app.added_on) is not None
        }
    return sorted(found)


def plan_company_over_time(
    apps: list[Application],
    policy: Policy,
    calendar: Calendar,
    accepted: bool,
    since: datetime | None = None,
) -> list[tuple[Application, list[Planned]]]:
    """The plans of a company's applications for every instant from ``since`` on.

    Between two consecutive instants of :func:`changes` nothing in :func:`plan_company`
    depends on ``now`` (but ``withdraw``'s day, kept :data:`UNDATED`), so one evaluation
    per segment is exact. An action identical in consecutive segments is given once;
    segments over before ``since`` are left out.
    """
    bounds = changes(apps, policy, calendar)
    # One instant inside each segment: just before the first change, then each start.
    probes = [bounds[0] - _TICK, *bounds] if bounds else [_EARLY]
    starts: list[datetime | None] = [None, *bounds]
    ends: list[datetime | None] = [*bounds, None]
    first = 0
    if since is not None:
        while (end := ends[first]) is not None and end <= since:
            first += 1
    done: dict[str, list[Planned]] = {app.id: [] for app in apps}
    current: dict[str, dict[str, tuple[Action, datetime | None]]] = {app.id: {} for app in apps}
    for probe, start in zip(probes[first:], starts[first:], strict=True):
        plans = plan_company(apps, policy, probe, calendar, accepted)
        for app_id, found in plans.items():
            actions = {a.id: anchored(a, UNDATED) for a in found}
            ongoing = current[app_id]
            for action_id, (action, began) in list(ongoing.items()):
                if actions.get(action_id) != action:
                    done[app_id].append(Planned(action, began, start))
                    del ongoing[action_id]
            for action_id, action in actions.items():
                if action_id not in ongoing:
                    ongoing[action_id] = (action, start)
    for app_id, ongoing in current.items():
        done[app_id] += [Planned(action, began, None) for action, began in ongoing.values()]
    return [(app, done[app.id]) for app in apps]


# --- R1: before an interview ------------------------------------------------------------


def _interview_order(iv: Interview) -> tuple[datetime, str]:
    return (iv.at, iv.id)


def _prepare(app: Application, iv: Interview, calendar: Calendar) -> Action:
    day = calendar.local_date(iv.at)
    due = day - ONE_DAY
    return Action(
        id=prepare_action_id(app.id, iv.id),
        kind=ActionKind.PREPARE_INTERVIEW,
        due=due,
        rule="R1",
        reason=(
            f"Your interview for {app.position} at {app.company} is on {words.day(day)}. "
            "Go in knowing what you will ask at the end."
        ),
        application=app.id,
        company=app.company,
        position=app.position,
        script=drafts.prepare_checklist(),
        steps=(Step("R1", "the day before the interview", due),),
    )


# --- R2, R3: after an interview, record what was learned ---------------------------------


def _debrief(app: Application, iv: Interview, day: date) -> Action | None:
    r2, r3 = drafts.debrief_gaps(app, iv)
    if not r2 and not r3:
        return None
    return Action(
        id=debrief_action_id(app.id, iv.id),
        kind=ActionKind.DEBRIEF,
        due=day,
        rule="R2" if r2 else "R3",
        reason=(
            f"Write down what you learned at the {app.company} interview on {words.day(day)} "
            "while it is fresh: it decides whom to thank and how to follow up."
        ),
        application=app.id,
        company=app.company,
        position=app.position,
        script=(*r2, *r3, *drafts.debrief_extras(iv)),
        steps=(Step("R2", "due from the interview day while details are missing", day),),
    )


# --- R4, R5: thank every interviewer -----------------------------------------------------


def _thank_yous(
    app: Application, iv: Interview, day: date, policy: Policy, calendar: Calendar
) -> list[Action]:
    """R4 for each interviewer, whatever the application's status (R5)."""
    thanked = {t.contact for t in app.touches if t.purpose is Purpose.THANK_YOU and t.at >= iv.at}
    plus = day + timedelta(days=policy.thank_you_delay_days)
    due = calendar.next_business_day(plus)
    steps = (
        Step("R4", f"interview day + {policy.thank_you_delay_days} days", plus),
        *holiday_steps(calendar, plus, due, "R4"),
        Step("R4", "next business day", due),
    )
    if not iv.interviewers:
        if thanked:
            return []
        return [
            Action(
                id=thank_you_action_id(app.id, iv.id, None),
                kind=ActionKind.THANK_YOU_EMAIL,
                due=due,
                rule="R4",
                reason=(
                    f"Thank the {app.company} team for the interview on {words.day(day)} "
                    f"and say again that you want the {app.position} job. "
                    "Record who interviewed you to address it by name."
                ),
                application=app.id,
                company=app.company,
                position=app.position,
                channel=Channel.EMAIL,
                steps=steps,
            )
        ]
    actions = []
    for cid in iv.interviewers:
        if cid in thanked:
            continue
        contact = app.contact(cid)
        name = contact.name if contact else cid
        missing = "" if contact and contact.usable_email else " You still need their email address."
        if contact and contact.email and not contact.usable_email:
            missing = " Mail to their address bounced: find one that works."
        actions.append(
            Action(
                id=thank_you_action_id(app.id, iv.id, cid),
                kind=ActionKind.THANK_YOU_EMAIL,
                due=due,
                rule="R4",
                reason=(
                    f"Thank {name} for their time at the interview on {words.day(day)} "
                    f"and say again that you want the {app.position} job; "
                    f"few candidates do, and it is remembered.{missing}"
                ),
                application=app.id,
                company=app.company,
                position=app.position,
                contact=cid,
                contact_name=name,
                channel=Channel.EMAIL,
                steps=steps,
            )
        )
    return actions
