"""Use cases that record what the candidate did and learned: applications, contacts, interviews.

Each function is one transaction (a :func:`~followup.services.session.writing` block):
it validates everything first, so bad input writes nothing, and returns what the user
should see next.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from followup.domain import text, words
from followup.domain.model import (
    Action,
    Application,
    Contact,
    ContactWindow,
    Interview,
    Role,
    Status,
    company_key,
)
from followup.domain.when import EARLIEST, LATEST, in_range
from followup.errors import Duplicate, InvalidInput, NotFound, Refused, Remedy
from followup.formats.interchange import ID_PATTERN, ID_RULE
from followup.services.session import Deps, Session, reading, writing

MISSING_TEXT = "Unknown"


def slug(text: str, fallback: str = "x") -> str:
    """An id from a name: ``"Acme Corp, Backend"`` -> ``acme-corp-backend``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return value or fallback


def unique_id(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def child_id(given: str | None, base: str, taken: list[str], what: str, owner: str) -> str:
    """The id the user chose (valid and free), else one made from ``base``."""
    if given is None:
        return unique_id(base, taken)
    check_id(given, f"{what} id")
    if given in taken:
        raise Refused(f"{owner} already has {words.article(what)} {given!r}", field="id")
    return given


def check_id(value: str, what: str, field: str = "id") -> str:
    if not ID_PATTERN.match(value):
        raise InvalidInput(f"{what} {value!r} is not a valid id ({ID_RULE})", field=field)
    return value


def check_day(value: date | None, field: str) -> date | None:
    """A date given by the user, within the range a job search can have."""
    if value is not None and not in_range(value):
        raise InvalidInput(
            f"{field}: {value.isoformat()} is out of range ({EARLIEST.year} to {LATEST.year})",
            field=field,
        )
    return value


def check_moment(value: datetime | None, field: str) -> datetime | None:
    if value is not None:
        if value.tzinfo is None:
            raise InvalidInput(f"{field}: a date-time needs a UTC offset", field=field)
        check_day(value.date(), field)
    return value


def check_link(value: str | None) -> str | None:
    """A job ad's address: http or https only (a ``javascript:`` link is not an address)."""
    link = check_text(value, "link")
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise InvalidInput(f"link: {link!r} is not an http(s) address", field="link")
    return link


def check_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Free text, by the one rule of :func:`followup.domain.text.clean` (limits included)."""
    if value is None:
        if required:
            raise InvalidInput(f"{what} is required", field=what)
        return None
    try:
        return text.clean(value, what, required=required)
    except ValueError as e:
        raise InvalidInput(str(e), field=what) from None


@dataclass(frozen=True, slots=True)
class Saved:
    """An application after a write, with its actions at that moment."""

    application: Application
    actions: list[Action]


def _saved(session: Session, app: Application) -> Saved:
    session.save(app)
    session.replan()
    return Saved(app, session.current_actions(app.id))


# --- applications -------------------------------------------------------------------------


def add_application(
    deps: Deps,
    company: str,
    position: str,
    *,
    applied_on: date | None = None,
    link: str | None = None,
    source: str | None = None,
    notes: str | None = None,
    app_id: str | None = None,
    posting: str | None = None,
    duplicate_ok: bool = False,
    now: datetime | None = None,
) -> Saved:
    """Record an application; one at the same company for the same position is refused
    (:class:`Duplicate`) unless ``duplicate_ok``: a second one is usually a mistake."""
    company_text = check_text(company, "company", required=True)
    position_text = check_text(position, "position", required=True)
    assert company_text is not None
    assert position_text is not None
    with writing(deps, now) as s:
        if app_id is not None:
            check_id(app_id, "application id")
            if s.repo.get(app_id) is not None:
                raise Refused(f"application {app_id!r} already exists", field="id")
        else:
            base = slug(f"{company_text}-{position_text}")
            app_id = free_application_id(s, base)
        check_applied_on(s, applied_on)
        if not duplicate_ok:
            check_not_duplicate(s, company_text, position_text)
        app = Application(
            id=app_id,
            company=company_text,
            position=position_text,
            applied_on=check_day(applied_on, "applied_on"),
            recorded_on=s.calendar.local_date(s.now),
            link=check_link(link),
            source=check_text(source, "source"),
            notes=check_text(notes, "notes"),
            posting=check_text(posting, "posting"),
        )
        return _saved(s, app)


def check_applied_on(session: Session, applied_on: date | None) -> date | None:
    """R9 and R18 count from this day: a future one would silence both for no reason."""
    check_day(applied_on, "applied_on")
    if applied_on is not None and applied_on > session.today:
        raise InvalidInput(
            f"applied_on: {words.day(applied_on)} is in the future (today is "
            f"{words.day(session.today)}); add the application once you have applied",
            field="applied_on",
        )
    return applied_on


def check_not_duplicate(session: Session, company: str, position: str) -> None:
    key = company_key(company)
    for other in session.company(key):
        if other.position.strip().casefold() == position.casefold():
            raise Duplicate(
                f"{other.id} is already an application at {other.company} for {other.position}",
                other.id,
                field="position",
            )


def free_application_id(session: Session, base: str) -> str:
    candidate, n = base, 1
    while session.repo.get(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def set_status(deps: Deps, app_id: str, status: Status, now: datetime | None = None) -> Saved:
    with writing(deps, now) as s:
        return _saved(s, replace(s.application(app_id), status=status))


def snooze(deps: Deps, app_id: str, until: date | None, now: datetime | None = None) -> Saved:
    """No status follow-up of the application before ``until`` (``None`` lifts the snooze)."""
    with writing(deps, now) as s:
        app = replace(s.application(app_id), snoozed_until=check_day(until, "until"))
        return _saved(s, app)


# --- contacts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactInput:
    name: str | None = None
    role: Role | None = None
    email: str | None = None
    phone: str | None = None
    name_confirmed: bool | None = None
    #: True: the address works again (clears a bounce's mark; a new address clears it too).
    email_ok: bool | None = None


def _checked_contact(deps: Deps, session: Session, base: Contact, data: ContactInput) -> Contact:
    name = check_text(data.name, "name", required=False) if data.name is not None else None
    if data.name is not None and not name:
        raise InvalidInput("name cannot be empty", field="name")
    email, phone = base.email, base.phone
    try:
        if data.email is not None:
            email = deps.details.email(data.email) if data.email.strip() else None
    except ValueError as e:
        raise InvalidInput(str(e), field="email") from None
    try:
        if data.phone is not None:
            phone = (
                deps.details.phone(data.phone, session.settings.country)
                if data.phone.strip()
                else None
            )
    except ValueError as e:
        raise InvalidInput(str(e), field="phone") from None
    renamed = name is not None and name != base.name
    confirmed = base.name_confirmed and not renamed
    if data.name_confirmed is not None:
        confirmed = data.name_confirmed
    failed_on = base.email_failed_on
    if data.email_ok or email != base.email:
        failed_on = None
    return Contact(
        id=base.id,
        name=name or base.name,
        role=data.role or base.role,
        email=email,
        phone=phone,
        name_confirmed=confirmed,
        email_failed_on=failed_on,
    )


def add_contact(
    deps: Deps,
    app_id: str,
    data: ContactInput,
    *,
    contact_id: str | None = None,
    now: datetime | None = None,
) -> tuple[Contact, Saved]:
    if not data.name or not data.name.strip():
        raise InvalidInput("a contact needs a name", field="name")
    with writing(deps, now) as s:
        app = s.application(app_id)
        taken = [c.id for c in app.contacts]
        new_id = child_id(contact_id, slug(data.name, "contact"), taken, "contact", app_id)
        base = Contact(new_id, data.name.strip(), data.role or Role.INTERVIEWER)
        contact = _checked_contact(deps, s, base, data)
        return contact, _saved(s, replace(app, contacts=(*app.contacts, contact)))


def edit_contact(
    deps: Deps, app_id: str, contact_id: str, data: ContactInput, now: datetime | None = None
) -> tuple[Contact, Saved]:
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = _contact(app, contact_id)
        new = _checked_contact(deps, s, old, data)
        contacts = tuple(new if c.id == contact_id else c for c in app.contacts)
        return new, _saved(s, replace(app, contacts=contacts))


def _contact(app: Application, contact_id: str, field: str = "contact") -> Contact:
    contact = app.contact(contact_id)
    if contact is None:
        known = ", ".join(c.id for c in app.contacts) or "none yet"
        raise NotFound(f"{app.id} has no contact {contact_id!r} (contacts: {known})", field=field)
    return contact


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
        return interview, _saved(s, replace(app, interviews=(*app.interviews, interview)))


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
        return new_iv, _saved(s, replace(app, interviews=interviews))


def _keep(new: bool | None, old: bool | None) -> bool | None:
    return old if new is None else new


def _interview(app: Application, interview_id: str) -> Interview:
    iv = app.interview(interview_id)
    if iv is None:
        known = ", ".join(i.id for i in app.interviews) or "none yet"
        raise NotFound(f"{app.id} has no interview {interview_id!r} (interviews: {known})")
    return iv


# --- reading ------------------------------------------------------------------------------


def get_application(deps: Deps, app_id: str, now: datetime) -> Saved:
    """An application and its actions at ``now`` (for ``show``)."""
    with reading(deps, now) as plan:
        app = plan.repo.get(app_id)
        if app is None:
            raise NotFound(f"no application {app_id!r}", remedy=Remedy.LIST)
        return Saved(app, plan.of(app_id))


def exists(deps: Deps, app_id: str) -> bool:
    with deps.store.reading() as repo:
        return bool(repo.existing([app_id]))


def is_empty(deps: Deps) -> bool:
    """No application at all (the demo fills only an empty database)."""
    with deps.store.reading() as repo:
        return next(iter(repo.applications()), None) is None


def list_applications(deps: Deps, status: Status | None, now: datetime) -> list[Saved]:
    with reading(deps, now) as plan:
        return [Saved(app, plan.of(app.id)) for app in plan.repo.applications(status)]
