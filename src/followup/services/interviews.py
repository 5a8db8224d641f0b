"""Use cases that record interviews and what a debrief learned.

Each write is one transaction (:mod:`.records`), validated before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from followup.domain.follow_up import window_warning
from followup.domain.model import (
    Application,
    Contact,
    ContactWindow,
    Interview,
    Role,
)
from followup.errors import InvalidInput, NotFound, Refused, Remedy
from followup.services.contacts import ContactInput, _checked_contact, _contact, same_name
from followup.services.records import (
    Saved,
    _saved,
    check_day,
    check_moment,
    check_text,
    child_id,
    slug,
    unique_id,
)
from followup.services.session import Deps, writing

# --- interviews ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterviewInput:
    at: datetime | None = None
    interviewers: tuple[str, ...] | None = None
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: ContactWindow | None = None
    answer_by: date | None = None
    notes: str | None = None


def record_interview(
    deps: Deps,
    app_id: str,
    data: InterviewInput,
    *,
    interview_id: str | None = None,
    now: datetime | None = None,
) -> tuple[Interview, Saved]:
    """Schedule an interview (a future time) or record one that took place."""
    if data.at is None:
        raise InvalidInput("an interview needs a date and time", field="at")
    check_moment(data.at, "at")
    check_day(data.answer_by, "answer_by")
    with writing(deps, now) as s:
        app = s.application(app_id)
        taken = [iv.id for iv in app.interviews]
        new_id = child_id(interview_id, f"iv{len(taken) + 1}", taken, "interview", app_id)
        check_free_time(app, data.at)
        interviewers = data.interviewers or ()
        _check_interviewers(app, interviewers)
        interview = Interview(
            id=new_id,
            at=data.at,
            interviewers=interviewers,
            contacts_every_applicant=data.contacts_every_applicant,
            direct_contact_ok=data.direct_contact_ok,
            contact_window=data.contact_window,
            answer_by=data.answer_by,
            notes=check_text(data.notes, "notes"),
        )
        saved = _saved(s, replace(app, interviews=(*app.interviews, interview)))
        return interview, window_warned(saved, data.contact_window)


def window_warned(
    saved: Saved, window: ContactWindow | None, before: ContactWindow | None = None
) -> Saved:
    """``saved`` with R11's warning when the window just entered has no business day: it
    is kept (it is what they said), but it cannot place a call, and every way in says so.
    The window the interview had (``before``), sent again by a form that shows it, is not
    entered anew: no word of it again."""
    warning = window_warning(window) if window != before else None
    return saved if warning is None else replace(saved, warnings=(*saved.warnings, warning))


def check_free_time(app: Application, at: datetime, interview_id: str | None = None) -> None:
    """Two interviews of one application at the same moment are one interview entered twice."""
    for iv in app.interviews:
        if iv.id != interview_id and iv.at == at and not iv.cancelled:
            raise Refused(
                f"{app.id} already has interview {iv.id} at that time; "
                f"to move it, reschedule it ({iv.id})",
                field="at",
            )


def _check_interviewers(app: Application, interviewers: tuple[str, ...]) -> None:
    for cid in interviewers:
        _contact(app, cid, field="interviewers")
    if len(set(interviewers)) != len(interviewers):
        raise InvalidInput("an interviewer is listed twice", field="interviewers")


def last_interview(app: Application, now: datetime) -> Interview:
    """The interview a debrief is about: the last that took place, else the next one."""
    held = [iv for iv in app.interviews if not iv.cancelled]
    past = [iv for iv in held if iv.at <= now]
    if past:
        return max(past, key=lambda iv: (iv.at, iv.id))
    if held:
        return min(held, key=lambda iv: (iv.at, iv.id))
    raise NotFound(f"{app.id} has no interview yet", remedy=Remedy.RECORD_INTERVIEW, subject=app.id)


@dataclass(frozen=True, slots=True)
class Debrief:
    """Answers to the end-of-interview questions (R2, R3); ``None`` leaves a field as it is."""

    interviewers: tuple[str, ...] | None = None
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: ContactWindow | None = None
    answer_by: date | None = None
    contacts: tuple[tuple[str, ContactInput], ...] = ()
    new_interviewers: tuple[ContactInput, ...] = ()
    notes: str | None = None


def debrief(
    deps: Deps,
    app_id: str,
    interview_id: str | None,
    answers: Debrief,
    now: datetime | None = None,
) -> tuple[Interview, Saved]:
    check_day(answers.answer_by, "answer_by")
    with writing(deps, now) as s:
        app = s.application(app_id)
        iv = _interview(app, interview_id) if interview_id else last_interview(app, s.now)
        contacts = list(app.contacts)
        for cid, change in answers.contacts:
            old = _contact(app, cid)
            contacts[contacts.index(old)] = _checked_contact(deps, s, old, change)
        interviewers = list(
            answers.interviewers if answers.interviewers is not None else iv.interviewers
        )
        for data in answers.new_interviewers:
            if not data.name or not data.name.strip():
                raise InvalidInput("an interviewer needs a name", field="interviewer")
            known = next((c for c in contacts if same_name(c.name) == same_name(data.name)), None)
            if known is not None:  # the contact already there, not a second one (name-2)
                contacts[contacts.index(known)] = _checked_contact(
                    deps, s, known, _details_only(data)
                )
                if known.id not in interviewers:
                    interviewers.append(known.id)
                continue
            cid = unique_id(slug(data.name, "contact"), [c.id for c in contacts])
            base = Contact(cid, data.name.strip(), data.role or Role.INTERVIEWER)
            contacts.append(_checked_contact(deps, s, base, data))
            interviewers.append(cid)
        app = replace(app, contacts=tuple(contacts))
        _check_interviewers(app, tuple(interviewers))
        new_iv = replace(
            iv,
            interviewers=tuple(interviewers),
            contacts_every_applicant=_keep(
                answers.contacts_every_applicant, iv.contacts_every_applicant
            ),
            direct_contact_ok=_keep(answers.direct_contact_ok, iv.direct_contact_ok),
            contact_window=answers.contact_window or iv.contact_window,
            answer_by=answers.answer_by or iv.answer_by,
            notes=iv.notes if answers.notes is None else check_text(answers.notes, "notes"),
        )
        interviews = tuple(new_iv if x.id == iv.id else x for x in app.interviews)
        saved = _saved(s, replace(app, interviews=interviews))
        return new_iv, window_warned(saved, answers.contact_window, iv.contact_window)


def _details_only(data: ContactInput) -> ContactInput:
    """What a debrief naming a known contact adds to them: the details given, and a
    confirmed spelling, never an unconfirmed one over theirs (their name and role stay)."""
    return ContactInput(
        email=data.email or None,
        phone=data.phone or None,
        name_confirmed=True if data.name_confirmed else None,
    )


def _keep(new: bool | None, old: bool | None) -> bool | None:
    return old if new is None else new


def _interview(app: Application, interview_id: str) -> Interview:
    iv = app.interview(interview_id)
    if iv is None:
        known = ", ".join(i.id for i in app.interviews) or "none yet"
        raise NotFound(f"{app.id} has no interview {interview_id!r} (interviews: {known})")
    return iv
