"""The status action of an application: the next follow-up after an interview
(RULES.md, "Computing the next status follow-up": R6, R7, R10, R11, R13, R14, R17), the
follow-up on an application before any interview (R18, R19), and the kind withdrawal
once another offer is accepted (R20).

Steps 1 to 5 find the earliest day and the rule that set it; step 6 decides whether it
is time to give up; step 7 picks whom to ask and how, and places a call on the
company's preferred days. Step 8 (the spacing of a company's follow-ups, R13) is the
planner's, which calls back here with the day the spacing allows (:class:`Spacing`).
Every step is kept for ``explain``, including the holidays that moved a date.
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
    Status,
    Step,
    Touch,
    status_action_id,
)
from followup.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class Company:
    """What the other applications at the same company bring to one's status action."""

    #: The local day of the company's latest status attempt, any application (R13).
    last_attempt: date | None = None
    #: The company's reachable HR contacts with their application, in R10's order:
    #: application id, then contact id.
    hr: tuple[tuple[str, Contact], ...] = ()


def company_context(apps: list[Application], last_attempt: date | None) -> Company:
    """R10 and R13 for the applications at one company."""
    hr = [(app.id, c) for app in apps for c in app.contacts if c.role is Role.HR and c.reachable]
    return Company(last_attempt, tuple(sorted(hr, key=lambda x: (x[0], x[1].id))))


@dataclass(frozen=True, slots=True)
class Spacing:
    """Step 8 (R13): the follow-up planned just before this one at the same company."""

    day: date
    position: str
    gap: int


@dataclass(slots=True)
class _Earliest:
    """Steps 1-5 of the computation: the earliest day, the rule that set it, and why.

    ``placed_by`` is the rule that places the action on its day from the earliest one
    (step 7: R11; before any interview: R18). A snooze is the candidate's choice, not a
    rule: when it sets the earliest day, the rule behind the due date (FORMAT.md's
    ``rule``) is the placing one, never a rule whose earlier date the snooze overrode.
    """

    day: date
    rule: str
    why: str
    steps: list[Step]
    placed_by: str
    snoozed: bool = False

    def consider(self, rule: str, text: str, candidate: date, why: str) -> None:
        self.steps.append(Step(rule, text, candidate))
        if candidate > self.day:
            self.day, self.why = candidate, why
            self.snoozed = rule == "snooze"
            self.rule = self.placed_by if self.snoozed else rule

    def snooze(self, app: Application) -> None:
        if app.snoozed_until is not None:
            self.consider(
                "snooze",
                "snoozed until",
                app.snoozed_until,
                f"you snoozed this application until {words.day(app.snoozed_until)}",
            )

    def spacing(self, app: Application, spacing: Spacing | None) -> None:
        if spacing is not None:
            self.consider(
                "R13",
                f"company spacing: the follow-up on {spacing.position} + {spacing.gap} days",
                spacing.day,
                f"your follow-up at {app.company} on {spacing.position} comes first, and "
                f"{words.every(spacing.gap)} is plenty for one company",
            )

    def place(self, calendar: Calendar, due: date, rule: str, text: str) -> None:
        """The business-day step, with the holidays that moved the date and a word when the
        snooze set it."""
        self.steps += holiday_steps(calendar, self.day, due, rule)
        self.steps.append(Step(rule, text, due))
        if self.snoozed:
            self.steps.append(Step("snooze", "the date is the one your snooze set", due))


def window_warning(window: ContactWindow | None) -> str | None:
    """R11, said when a window is recorded: one with no business day cannot place a call."""
    if window is None or window.on_weekdays:
        return None
    return (
        f"R11: calls are planned on business days, and {words.window(window)} has none; "
        "followup will plan them on the first business day instead. Ask them for a weekday "
        "time when you can."
    )


def holiday_steps(calendar: Calendar, start: date, due: date, rule: str) -> list[Step]:
    """``Fri 3 Apr 2026 is Good Friday``: each holiday that pushed ``start`` to ``due``."""
    if due <= start:
        return []
    return [
        Step(rule, f"{words.day(day)} is {name}, not a business day", day)
        for day, name in calendar.skipped(start, due)
    ]


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
        f"{words.passed(policy.first_follow_up_days)} since your interview on {words.day(day)}",
        [Step("R6", f"last interview + {policy.first_follow_up_days} days", first)],
        placed_by="R11",
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
            f"and {words.every(gap)} is plenty",
        )
    e.snooze(app)
    return e


def status_follow_up(
    app: Application,
    last: Interview,
    policy: Policy,
    calendar: Calendar,
    company: Company,
    spacing: Spacing | None = None,
) -> Action | None:
    """RULES.md, "Computing the next status follow-up of an active application"."""
    if not app.is_open:
        return None
    day = calendar.local_date(last.at)
    touches = sorted((t for t in app.touches if t.at >= last.at), key=lambda t: (t.at, t.id))
    e = _earliest(app, last, day, touches, policy, company.last_attempt)
    e.spacing(app, spacing)
    steps = e.steps
    base = calendar.next_business_day(e.day)

    unanswered = _unanswered_in_a_row(touches)
    if unanswered >= policy.max_unanswered_attempts:  # 6. R17
        e.place(calendar, base, "R17", f"{unanswered} unanswered attempts in a row: give up")
        return _status_action(
            app,
            ActionKind.GIVE_UP,
            base,
            "R17",
            f"{unanswered} follow-ups in a row went unanswered. It is fine to let this one "
            "go: mark it as no response and put the energy into new applications (R9)."
            + (f" Not before {words.day(e.day)}: {e.why}." if e.snoozed else ""),
            steps,
        )

    target, owner, target_why = _target(app, last, unanswered, policy, company)  # 7. R10, R17
    if target is None:
        e.place(calendar, base, "R10", "no one to ask: find the HR contact")
        return _status_action(
            app,
            ActionKind.FIND_CONTACT,
            base,
            "R10",
            f"It is time to ask {app.company} how things stand ({e.why}), but you have no "
            "contact with a phone or email you may use. Find the HR or recruiting contact.",
            steps,
        )
    e.place(calendar, base, "R11", "first business day")
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
            owner=owner,
        )
    named = window = last.contact_window
    due, rule, suits = base, e.rule, ""
    if window is not None and not window.on_weekdays:  # R11 cannot honour it: say so
        named_days = f"window {words.window(window)}: no business day in it"
        steps.append(Step("R11", f"{named_days}, so the first business day", due))
        suits = (
            f"; they named {words.window(window)}, but calls go on business days, "
            "so ask which weekday time suits them"
        )
        window = None
    if window is not None:
        due = calendar.next_call_day(e.day, window)
        if due != base:
            steps += holiday_steps(calendar, base + ONE_DAY, due, "R11")
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
        script=drafts.call_script(app, target, last, day, named),
        owner=owner,
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
    app: Application, last: Interview, unanswered: int, policy: Policy, company: Company
) -> tuple[Contact | None, str | None, str]:
    """R10 and R17: whom to ask, the application the contact belongs to when it is not
    this one, and a few words on why that person."""
    hr, owner = hr_contact(app, company)
    if hr is not None and unanswered >= policy.escalate_after_unanswered:
        return hr, owner, f" in HR (the last {unanswered} attempts went unanswered)"
    interviewer = _interviewer(app, last)
    if interviewer is not None:
        return interviewer, None, ""
    if hr is not None:
        return hr, owner, " in HR"
    return None, None, ""


def _interviewer(app: Application, last: Interview) -> Contact | None:
    """R10: the first interviewer with the needed details, unless direct contact is refused."""
    if last.direct_contact_ok is not False:
        for cid in last.interviewers:
            contact = app.contact(cid)
            if contact is not None and contact.reachable:
                return contact
    return None


def hr_contact(app: Application, company: Company) -> tuple[Contact | None, str | None]:
    """R10's HR contact: the application's own reachable one with the smallest id, else the
    first of the other applications at the same company (in order of application id).
    The second value names the other application, ``None`` for the application's own."""
    own = [c for c in app.contacts if c.role is Role.HR and c.reachable]
    if own:
        return min(own, key=lambda c: c.id), None
    for owner, contact in company.hr:
        if owner != app.id:
            return contact, owner
    return None, None


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
    owner: str | None = None,
    channel: Channel | None = None,
) -> Action:
    """The one status action of an application: its id is ``status:<application>``."""
    assert kind in STATUS_KINDS
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
        contact_application=owner if target else None,
        channel=channel,
        window=window,
        script=script,
        steps=tuple(steps),
    )


# --- R18, R19: before any interview ---------------------------------------------------------


def before_interview(
    app: Application,
    policy: Policy,
    calendar: Calendar,
    company: Company,
    today: date,
    spacing: Spacing | None = None,
) -> Action | None:
    """RULES.md, "Before any interview": an active application with no interview and no
    company answer is followed up once (R18), then let go when it has gone quiet (R19)."""
    applied = app.added_on
    if not app.is_open or app.held_interviews or applied is None:
        return None
    if any(t.is_company_answer for t in app.touches):
        return None  # they answered: the candidate records the interview, or closes it
    days, stale = policy.application_follow_up_days, policy.stale_after_days
    if days == 0 and stale == 0:
        return None
    attempts = sorted((t for t in app.touches if t.is_attempt), key=lambda t: (t.at, t.id))
    quiet_since = applied + timedelta(days=stale)
    by_attempts = len(attempts) >= policy.max_application_follow_ups
    by_age = stale != 0 and today >= quiet_since
    if by_attempts or by_age:
        return _quiet(app, policy, calendar, applied, attempts, by_age)
    if days == 0:
        return None
    start = applied + timedelta(days=days)
    e = _Earliest(
        start,
        "R18",
        f"{words.passed(days)} since you applied on {words.day(applied)}",
        [Step("R18", f"applied on {words.day(applied)} + {days} days", start)],
        placed_by="R18",
    )
    if company.last_attempt is not None:
        gap = policy.min_days_between_follow_ups
        e.consider(
            "R13",
            f"last follow-up at {app.company} + {gap} days",
            company.last_attempt + timedelta(days=gap),
            f"your last follow-up at {app.company} was on {words.day(company.last_attempt)}, "
            f"and {words.every(gap)} is plenty",
        )
    e.snooze(app)
    e.spacing(app, spacing)
    due = calendar.next_business_day(e.day)
    target, owner = hr_contact(app, company)
    if target is None:
        e.place(calendar, due, "R10", "no HR contact known: find one")
        return _status_action(
            app,
            ActionKind.FIND_CONTACT,
            due,
            "R10",
            f"It is a good moment to ask {app.company} about your application ({e.why}), "
            "but you have no HR or recruiting contact with an email or phone. Find one: "
            "the job ad, the company's site or a professional network usually names them.",
            e.steps,
        )
    e.place(calendar, due, "R18", "first business day")
    how = "Email" if target.email else "Call"
    return _status_action(
        app,
        ActionKind.APPLICATION_FOLLOW_UP,
        due,
        e.rule,
        f"{how} {target.name} in HR about your {app.position} application: {e.why}, "
        "with no interview yet. Say you are still interested and ask where it stands; "
        "recruiters expect it, and silence so far is not a no.",
        e.steps,
        target,
        owner=owner,
        channel=Channel.EMAIL if target.email else Channel.PHONE,
        script=drafts.application_script(app, target, applied),
    )


def _quiet(
    app: Application,
    policy: Policy,
    calendar: Calendar,
    applied: date,
    attempts: list[Touch],
    by_age: bool,
) -> Action:
    """R19: the application has gone quiet; letting it go keeps R9's count honest."""
    stale, gap = policy.stale_after_days, policy.min_days_between_follow_ups
    start = applied + timedelta(days=stale)
    steps = [Step("R19", f"applied on {words.day(applied)} + {stale} days", start)]
    if attempts:
        last = calendar.local_date(attempts[-1].at)
        after = last + timedelta(days=gap)
        steps.append(Step("R19", f"last follow-up + {gap} days", after))
        start = max(start, after)
    due = calendar.next_business_day(start)
    steps += holiday_steps(calendar, start, due, "R19")
    steps.append(Step("R19", "next business day", due))
    if by_age:
        why = f"{words.passed(stale)} since you applied on {words.day(applied)}"
    else:
        why = f"your {words.plural(len(attempts), 'follow-up')} went unanswered"
    return _status_action(
        app,
        ActionKind.GIVE_UP,
        due,
        "R19",
        f"No interview and no answer from {app.company}: {why}. Silence is common and "
        "says nothing about you; mark it as no response so your count of live applications "
        "stays true, and put the energy into new ones (R9).",
        steps,
    )


# --- R20: another offer accepted ------------------------------------------------------------


def withdrawing(app: Application) -> bool:
    """R20: once another offer is accepted, whether this application is one to withdraw
    from (its status action is then ``withdraw``, whatever else was planned)."""
    return app.effective_status in (Status.ACTIVE, Status.OFFER)


def withdraw(
    app: Application, last: Interview | None, company: Company, today: date
) -> Action | None:
    """R20: once another offer is accepted, tell every other live process, kindly."""
    if not withdrawing(app):
        return None
    target = _interviewer(app, last) if last is not None else None
    owner = None
    if target is None:
        target, owner = hr_contact(app, company)
    channel = None
    if target is not None:
        channel = Channel.EMAIL if target.email else Channel.PHONE
    who = f"Tell {target.name}" if target is not None else "Tell them"
    find = "" if target is not None else " Find whom to tell: the job ad or your emails with them."
    return _status_action(
        app,
        ActionKind.WITHDRAW,
        today,
        "R20",
        f"You accepted another offer: congratulations. {who} at {app.company} that you are "
        f"withdrawing from the {app.position} process, thank them for their time and keep "
        f"the door open.{find}",
        [Step("R20", "another application is accepted: due on the day you read this")],
        target,
        owner=owner,
        channel=channel,
        script=drafts.withdraw_script(app, target),
    )
