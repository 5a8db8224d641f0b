"""The next status follow-up of an active application (RULES.md, "Computing the next
status follow-up"): R6, R7, R10, R11, R13, R14 and R17.

Steps 1 to 5 find the earliest day and the rule that set it; step 6 decides whether it
is time to give up; step 7 picks whom to ask and how, and places a call on the
company's preferred days. Every step is kept for ``explain``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from followup.domain import drafts, words
from followup.domain.calendar import ONE_DAY, Calendar
from followup.domain.model import (
    STATUS_KINDS,
    Action,
    ActionKind,
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Role,
    Step,
    Touch,
    status_action_id,
)
from followup.domain.policy import Policy


@dataclass(slots=True)
class _Earliest:
    """Steps 1-5 of the computation: the earliest day, the rule that set it, and why."""

    day: date
    rule: str
    why: str
    steps: list[Step]

    def consider(self, rule: str, text: str, candidate: date, why: str) -> None:
        self.steps.append(Step(rule, text, candidate))
        if candidate > self.day:
            self.day, self.why = candidate, why
            if rule != "snooze":  # a snooze is the candidate's choice, not a rule
                self.rule = rule


def _earliest(
    app: Application,
    last: Interview,
    day: date,
    touches: list[Touch],
    policy: Policy,
    last_company_attempt: date | None,
) -> _Earliest:
    first = day + timedelta(days=policy.first_follow_up_days)
    e = _Earliest(
        first,
        "R6",
        f"a week has passed since your interview on {words.day(day)}",
        [Step("R6", f"last interview + {policy.first_follow_up_days} days", first)],
    )
    if last.answer_by is not None:
        e.consider(
            "R7",
            "promised answer date + 1 day",
            last.answer_by + ONE_DAY,
            f"they promised an answer by {words.day(last.answer_by)}",
        )
    answer = _last_answer(touches)
    if answer is not None and answer.decision is Decision.UNDECIDED and answer.decision_by:
        e.consider(
            "R14",
            "announced decision date + 1 day",
            answer.decision_by + ONE_DAY,
            f"they expected to decide by {words.day(answer.decision_by)}",
        )
    if last_company_attempt is not None:
        gap = policy.min_days_between_follow_ups
        e.consider(
            "R13",
            f"last follow-up at {app.company} + {gap} days",
            last_company_attempt + timedelta(days=gap),
            f"your last follow-up at {app.company} was on {words.day(last_company_attempt)}, "
            "and once a week is plenty",
        )
    if app.snoozed_until is not None:
        e.consider(
            "snooze",
            "snoozed until",
            app.snoozed_until,
            f"you snoozed this application until {words.day(app.snoozed_until)}",
        )
    return e


def status_follow_up(
    app: Application,
    last: Interview,
    policy: Policy,
    calendar: Calendar,
    last_company_attempt: date | None,
) -> Action | None:
    """RULES.md, "Computing the next status follow-up of an active application"."""
    if not app.is_open:
        return None
    day = calendar.local_date(last.at)
    touches = sorted((t for t in app.touches if t.at >= last.at), key=lambda t: (t.at, t.id))
    e = _earliest(app, last, day, touches, policy, last_company_attempt)
    steps = e.steps
    base = calendar.next_business_day(e.day)

    unanswered = _unanswered_in_a_row(touches)
    if unanswered >= policy.max_unanswered_attempts:  # 6. R17
        steps.append(Step("R17", f"{unanswered} unanswered attempts in a row: give up", base))
        return _status_action(
            app,
            ActionKind.GIVE_UP,
            base,
            "R17",
            f"{unanswered} follow-ups in a row went unanswered. It is fine to let this one "
            "go: mark it as no response and put the energy into new applications (R9).",
            steps,
        )

    target, target_why = _target(app, last, unanswered, policy)  # 7. R10, R17, R11
    if target is None:
        steps.append(Step("R10", "no one to ask: find the HR contact", base))
        return _status_action(
            app,
            ActionKind.FIND_CONTACT,
            base,
            "R10",
            f"It is time to ask {app.company} how things stand ({e.why}), but you have no "
            "contact with a phone or email you may use. Find the HR or recruiting contact.",
            steps,
        )
    steps.append(Step("R11", "first business day", base))
    if not target.phone:
        return _status_action(
            app,
            ActionKind.STATUS_EMAIL,
            base,
            e.rule,
            f"Email {target.name}{target_why} to ask how the process is going: {e.why}. "
            "Asking shows interest, and silence so far is not a no.",
            steps,
            target,
        )
    window = last.contact_window
    due, rule, suits = base, e.rule, ""
    if window is not None:
        due = calendar.next_call_day(e.day, window)
        if due != base:
            steps.append(Step("R11", f"first day in the window ({words.window(window)})", due))
            rule, suits = "R11", f"; {words.window(window)} suits them best"
    return _status_action(
        app,
        ActionKind.STATUS_CALL,
        due,
        rule,
        f"Call {target.name}{target_why}: {e.why}{suits}. A call shows you are keen, "
        "and no news so far is not bad news.",
        steps,
        target,
        window=window if window is not None and window.hours is not None else None,
        script=drafts.call_script(app, target, last, day, window),
    )


def _last_answer(touches: list[Touch]) -> Touch | None:
    answers = [t for t in touches if t.is_company_answer]
    return answers[-1] if answers else None


def _unanswered_in_a_row(touches: list[Touch]) -> int:
    """Unanswered status attempts since the last company answer (R17).

    ``touches`` are those since the last interview: an interview is itself an answer
    from the company, so attempts before it do not count.
    """
    count = 0
    for t in touches:
        if t.is_company_answer:
            count = 0
        elif t.is_attempt:
            count += 1
    return count


def _target(
    app: Application, last: Interview, unanswered: int, policy: Policy
) -> tuple[Contact | None, str]:
    """R10 and R17: whom to ask, and a few words on why that person."""
    hr = _hr_contact(app)
    if hr is not None and unanswered >= policy.escalate_after_unanswered:
        return hr, f" in HR (the last {unanswered} attempts went unanswered)"
    if last.direct_contact_ok is not False:
        for cid in last.interviewers:
            contact = app.contact(cid)
            if contact is not None and contact.reachable:
                return contact, ""
    if hr is not None:
        return hr, " in HR"
    return None, ""


def _hr_contact(app: Application) -> Contact | None:
    """The reachable HR contact with the smallest id (stable whatever the record order)."""
    candidates = [c for c in app.contacts if c.role is Role.HR and c.reachable]
    return min(candidates, key=lambda c: c.id) if candidates else None


def _status_action(
    app: Application,
    kind: ActionKind,
    due: date,
    rule: str,
    reason: str,
    steps: list[Step],
    target: Contact | None = None,
    *,
    window: ContactWindow | None = None,
    script: tuple[str, ...] = (),
) -> Action:
    """The one status action of an application: its id is ``status:<application>``."""
    assert kind in STATUS_KINDS
    channel = None
    if kind is ActionKind.STATUS_CALL:
        channel = Channel.PHONE
    elif kind is ActionKind.STATUS_EMAIL:
        channel = Channel.EMAIL
    return Action(
        id=status_action_id(app.id),
        kind=kind,
        due=due,
        rule=rule,
        reason=reason,
        application=app.id,
        company=app.company,
        position=app.position,
        contact=target.id if target else None,
        contact_name=target.name if target else None,
        channel=channel,
        window=window,
        script=script,
        steps=tuple(steps),
    )
