"""The planner: from the records of a job search to what to do next, and why.

``plan(applications, policy, now, calendar)`` is a pure function: it reads no clock and
does no I/O. One function per rule family below; each action carries the rule that set
its due date, a reason in plain words (calm and encouraging, R8 and R12) and, for the
status follow-up, every step of RULES.md's computation so ``explain`` can show it.

The plan of one application changes with time only when ``now`` passes one of its
interviews (RULES.md, "Which interviews count"). :func:`plan_over_time` uses that to
give the plan for every instant at once, as segments between interview times; the
store keeps those segments so that reading today's plan is an indexed read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from followup.domain import drafts, words
from followup.domain.calendar import ONE_DAY, Calendar
from followup.domain.follow_up import status_follow_up
from followup.domain.model import (
    Action,
    ActionKind,
    Application,
    Channel,
    Interview,
    Purpose,
    Step,
    apply_more_action_id,
    debrief_action_id,
    prepare_action_id,
    thank_you_action_id,
)
from followup.domain.policy import Policy

_TICK = timedelta(microseconds=1)


def plan(
    applications: Iterable[Application],
    policy: Policy,
    now: datetime,
    calendar: Calendar | None = None,
) -> list[Action]:
    """Every action that applies at ``now``, in FORMAT.md order (due dates are not filtered)."""
    cal = calendar or Calendar()
    apps = list(applications)
    last_attempts = last_attempt_days(apps, cal)
    actions: list[Action] = []
    for app in apps:
        actions += plan_application(app, policy, now, cal, last_attempts.get(app.company_key))
    more = apply_more(
        sum(1 for a in apps if a.is_open),
        max((d for a in apps if (d := a.added_on) is not None), default=None),
        policy,
        cal.local_date(now),
    )
    if more is not None:
        actions.append(more)
    actions.sort(key=lambda a: a.sort_key)
    return actions


def last_attempt_days(apps: Iterable[Application], calendar: Calendar) -> dict[str, date]:
    """For each company, the local day of its latest status attempt, any application (R13)."""
    latest: dict[str, datetime] = {}
    for app in apps:
        for t in app.touches:
            if t.is_attempt:
                key = app.company_key
                if key not in latest or t.at > latest[key]:
                    latest[key] = t.at
    return {key: calendar.local_date(at) for key, at in latest.items()}


def plan_application(
    app: Application,
    policy: Policy,
    now: datetime,
    calendar: Calendar,
    last_company_attempt: date | None,
) -> list[Action]:
    """The actions of one application at ``now``.

    ``last_company_attempt`` is the latest status attempt day at the same company across
    all applications (R13); see :func:`last_attempt_days`.
    """
    past: list[Interview] = []
    actions: list[Action] = []
    for iv in sorted(held(app), key=_interview_order):
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
    if past:
        status = status_follow_up(app, past[-1], policy, calendar, last_company_attempt)
        if status is not None:
            actions.append(status)
    return actions


def held(app: Application) -> list[Interview]:
    """The interviews that count: a cancelled one will not happen, so it plans nothing."""
    return [iv for iv in app.interviews if not iv.cancelled]


@dataclass(frozen=True, slots=True)
class Planned:
    """An action and the instants between which it applies (``None``: unbounded)."""

    action: Action
    valid_from: datetime | None
    valid_until: datetime | None

    def applies_at(self, now: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= now) and (
            self.valid_until is None or now < self.valid_until
        )


def plan_over_time(
    app: Application,
    policy: Policy,
    calendar: Calendar,
    last_company_attempt: date | None,
    since: datetime | None = None,
) -> list[Planned]:
    """The plan of one application for every instant from ``since`` on (``None``: ever).

    Between two consecutive interview times the set of interviews that "have taken
    place" is fixed, and nothing else in :func:`plan_application` depends on ``now``, so
    one evaluation per segment is exact. An action identical in consecutive segments is
    given once; segments over before ``since`` are left out.
    """
    bounds = sorted({iv.at for iv in held(app)})
    # One instant inside each segment: just before the first interview, then each start.
    probes = [bounds[0] - _TICK, *bounds] if bounds else [datetime.min.replace(tzinfo=UTC)]
    starts: list[datetime | None] = [None, *bounds]
    ends: list[datetime | None] = [*bounds, None]
    first = 0
    if since is not None:
        while (end := ends[first]) is not None and end <= since:
            first += 1
    done: list[Planned] = []
    current: dict[str, tuple[Action, datetime | None]] = {}
    for probe, start in zip(probes[first:], starts[first:], strict=True):
        actions = {
            a.id: a for a in plan_application(app, policy, probe, calendar, last_company_attempt)
        }
        for action_id, (action, began) in list(current.items()):
            if actions.get(action_id) != action:
                done.append(Planned(action, began, start))
                del current[action_id]
        for action_id, action in actions.items():
            if action_id not in current:
                current[action_id] = (action, start)
    done += [Planned(action, began, None) for action, began in current.values()]
    return done


def apply_more(
    open_applications: int, last_added: date | None, policy: Policy, today: date
) -> Action | None:
    """R9: keep applying while fewer than enough processes are open, or none is new."""
    enough = policy.min_active_applications
    counted = f"{open_applications}" if open_applications < enough else f"{enough} or more"
    steps = (
        Step("R9", f"open applications: {counted} (at least {enough} wanted)"),
        Step("R9", "last new application", last_added),
    )
    if open_applications < policy.min_active_applications:
        reason = (
            f"You have {words.plural(open_applications, 'active application')}; keep at least "
            f"{policy.min_active_applications} going, however well one interview went."
        )
    elif last_added is None or (today - last_added).days > policy.max_days_without_new_application:
        since = f" since {words.day(last_added)}" if last_added else " yet"
        reason = (
            f"No new application{since}. Keep the search moving while you wait: "
            "good news from one company is never a reason to stop."
        )
    else:
        return None
    return Action(
        id=apply_more_action_id(today),
        kind=ActionKind.APPLY_MORE,
        due=today,
        rule="R9",
        reason=reason,
        steps=steps,
    )


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
