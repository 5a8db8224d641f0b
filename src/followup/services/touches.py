"""Use cases around touches: log one, and turn R16 vacancies heard of into applications.

Completing or dismissing a planned action (which logs a touch) is :mod:`.completion`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from followup.domain import words
from followup.domain.follow_up import withdrawing
from followup.domain.model import (
    CLOSING_DECISIONS,
    Action,
    ActionKind,
    Application,
    Channel,
    Decision,
    Outcome,
    Purpose,
    Status,
    Touch,
    outcome_channel_problem,
    status_action_id,
)
from followup.errors import InvalidInput, NotFound
from followup.services.applications import free_application_id
from followup.services.records import (
    check_day,
    check_happened,
    check_moment,
    check_text,
    slug,
    unique_id,
)
from followup.services.session import Deps, Session, writing

_INFERRED_CHANNEL = {
    Outcome.SENT: Channel.EMAIL,
    Outcome.REACHED: Channel.PHONE,
    Outcome.NO_ANSWER: Channel.PHONE,
    Outcome.VOICEMAIL: Channel.PHONE,
}


@dataclass(frozen=True, slots=True)
class TouchInput:
    outcome: Outcome
    purpose: Purpose = Purpose.STATUS
    channel: Channel | None = None
    contact: str | None = None
    at: datetime | None = None
    decision: Decision | None = None
    decision_by: date | None = None
    vacancies: str | None = None
    message_id: str | None = None
    #: The application whose contact ``contact`` is, when not this one (R10).
    contact_application: str | None = None
    notes: str | None = None
    #: R16: vacancies to record as applications at the same company, in the same step.
    new_applications: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Logged:
    touch: Touch
    application: Application
    actions: list[Action]
    warnings: list[str] = field(default_factory=list)
    #: R16: the open positions the touch mentioned, to offer as new applications.
    vacancies: list[str] = field(default_factory=list)
    #: The applications made from ``TouchInput.new_applications``.
    created: list[Application] = field(default_factory=list)
    #: The status before the touch, so output says "is now ..." only when it changed.
    was: Status | None = None
    #: Some application is accepted: the search is over (R20), no "keep applying" (R9).
    search_ended: bool = False

    @property
    def status_changed(self) -> bool:
        return self.was is not None and self.was is not self.application.status


def log_touch(deps: Deps, app_id: str, data: TouchInput, now: datetime | None = None) -> Logged:
    with writing(deps, now) as s:
        return record_touch(s, s.application(app_id), data)


def record_touch(s: Session, app: Application, data: TouchInput) -> Logged:
    """Record a touch within a session (every way a touch is recorded comes here)."""
    check_moment(data.at, "at")
    if data.at is not None:
        check_happened(s, data.at, "at")
    check_day(data.decision_by, "decision_by")
    channel = data.channel or _INFERRED_CHANNEL.get(data.outcome) or Channel.EMAIL
    problem = outcome_channel_problem(data.outcome, channel)
    if problem:
        raise InvalidInput(problem, field="outcome")
    contact, source = data.contact, data.contact_application
    if contact is None:
        contact, source = _default_contact(s, app, data)
    app, contact = with_contact(s, app, contact, source)
    decision = data.decision
    if decision is None and data.decision_by is not None:
        decision = Decision.UNDECIDED  # a decision date means nothing is decided yet (R14)
    touch = Touch(
        id=unique_id(f"t{len(app.touches) + 1}", [t.id for t in app.touches]),
        at=data.at or s.now,
        channel=channel,
        purpose=data.purpose,
        outcome=data.outcome,
        contact=contact,
        decision=decision,
        decision_by=data.decision_by,
        vacancies=check_text(data.vacancies, "vacancies"),
        message_id=data.message_id,
        notes=check_text(data.notes, "notes"),
    )
    warnings = warnings_of(s, app, touch)
    status = app.status
    if decision in CLOSING_DECISIONS and status is Status.ACTIVE:  # R15
        status = Status.REJECTED if decision is Decision.REJECTED else Status.OFFER
    updated = replace(app, touches=(*app.touches, touch), status=status)
    s.save(updated)
    created = vacancy_applications(s, updated, data.new_applications)
    s.replan()
    return Logged(
        touch,
        updated,
        s.current_actions(app.id),
        warnings,
        split_vacancies(touch),
        created,
        was=app.status,
        search_ended=s.repo.any_accepted(),
    )


def with_contact(
    s: Session, app: Application, contact_id: str | None, source: str | None = None
) -> tuple[Application, str | None]:
    """``app`` holding the contact a touch names, and that contact's id in ``app``.

    A contact of another application at the same company serves this one too (R10): the
    plan may name one (``source``: its application), and the user may name one by id. It
    is copied into this application as the touch is recorded, under a free id when this
    application already uses that id for someone else.
    """
    if contact_id is None:
        return app, None
    found = None
    if source is None or source == app.id:
        if app.contact(contact_id) is not None:
            return app, contact_id
        others = [o for o in s.company(app.company_key) if o.id != app.id]
        found = next((c for o in others if (c := o.contact(contact_id)) is not None), None)
    else:
        origin = next((o for o in s.company(app.company_key) if o.id == source), None)
        found = origin.contact(contact_id) if origin is not None else None
        mine = app.contact(contact_id)
        if mine is not None and found is not None and mine.name.casefold() == found.name.casefold():
            return app, contact_id
    if found is None:
        known = ", ".join(c.id for c in app.contacts) or "none yet"
        raise NotFound(
            f"{app.id} has no contact {contact_id!r} (contacts: {known})", field="contact"
        )
    new_id = unique_id(found.id, [c.id for c in app.contacts])
    return replace(app, contacts=(*app.contacts, replace(found, id=new_id))), new_id


def _default_contact(
    s: Session, app: Application, data: TouchInput
) -> tuple[str | None, str | None]:
    """The person the plan told the candidate to contact, if any, and whose contact it is."""
    if data.outcome is Outcome.REPLIED:
        return None, None
    planned = s.current_actions(app.id)
    wanted = ActionKind.THANK_YOU_EMAIL if data.purpose is Purpose.THANK_YOU else None
    for action in planned:
        if (wanted is None and action.id == status_action_id(app.id)) or action.kind is wanted:
            return action.contact, action.contact_application
    return None, None


def warnings_of(s: Session, app: Application, touch: Touch, corrected: bool = False) -> list[str]:
    """R13 (and R7): recording is allowed, since it happened, but the candidate should know.

    ``corrected``: ``touch`` is a correction of the one ``app`` holds under its id, which
    is no earlier follow-up of itself.

    Once an offer is accepted, a status touch on an application still open is its R20
    withdrawal: R20 makes every one due the same day and step 8 does not space them, so
    two at one company are no follow-up too many, and no answer date is being rushed.
    """
    if not touch.is_attempt:
        return []
    if withdrawing(app) and s.repo.any_accepted():
        return []
    day = s.calendar.local_date(touch.at)
    gap = s.settings.policy.min_days_between_follow_ups
    warnings = []
    for other in s.company(app.company_key):
        for t in other.touches:
            if corrected and other.id == app.id and t.id == touch.id:
                continue
            if t.is_attempt and abs((s.calendar.local_date(t.at) - day).days) < gap:
                where = "" if other.id == app.id else f" ({other.id})"
                warnings.append(
                    f"R13: you already followed up with {app.company} on "
                    f"{words.day(s.calendar.local_date(t.at))}{where}; following up "
                    f"{words.every(gap)} is plenty. Recorded anyway."
                )
                return warnings
    past = [iv for iv in app.interviews if iv.at <= touch.at]
    if past:
        last = max(past, key=lambda iv: (iv.at, iv.id))
        if last.answer_by is not None and day <= last.answer_by:
            warnings.append(
                f"R7: they promised an answer by {words.day(last.answer_by)}; "
                "asking before then can look impatient. Recorded anyway."
            )
    return warnings


def split_vacancies(touch: Touch) -> list[str]:
    """Vacancies are written one per line or separated by semicolons."""
    return split_text(touch.vacancies)


def split_text(vacancies: str | None) -> list[str]:
    """The vacancies in a text as typed (before a touch holds it), one title each."""
    if not vacancies:
        return []
    return [v.strip() for v in re.split(r"[;\n]", vacancies) if v.strip()]


def add_vacancies(
    deps: Deps, app_id: str, titles: list[str], now: datetime | None = None
) -> list[Application]:
    """R16: turn vacancies heard of at a company into applications there."""
    with writing(deps, now) as s:
        return vacancy_applications(s, s.application(app_id), titles)


def vacancy_applications(
    s: Session, origin: Application, titles: Iterable[str]
) -> list[Application]:
    created = []
    for title in titles:
        position = check_text(title, "position", required=True)
        assert position is not None
        app = Application(
            id=free_application_id(s, slug(f"{origin.company}-{position}")),
            company=origin.company,
            position=position,
            recorded_on=s.calendar.local_date(s.now),
            source=f"vacancy heard of while following up {origin.id}",
        )
        s.save(app)
        created.append(app)
    return created
