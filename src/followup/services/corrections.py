"""Correcting what was recorded: edit or delete an application, an interview, a touch, a contact.

A correction takes the same checks as the record it changes had when it was created,
and is one transaction (so one history entry, which ``followup undo`` reverts). Fields
are given as :data:`KEEP` (leave as it is), ``None`` (clear it) or a new value.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final, TypeVar, Union

from followup.domain.model import (
    CLOSING_DECISIONS,
    Application,
    Channel,
    ContactWindow,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Status,
    Touch,
    debrief_action_id,
    outcome_channel_problem,
    prepare_action_id,
    thank_you_action_id,
)
from followup.errors import InvalidInput, NotFound, Refused
from followup.services.applications import check_applied_on, check_not_duplicate
from followup.services.contacts import _contact
from followup.services.interviews import (
    _check_interviewers,
    _interview,
    check_free_time,
    window_warned,
)
from followup.services.records import (
    Saved,
    _saved,
    check_day,
    check_happened,
    check_link,
    check_moment,
    check_text,
)
from followup.services.session import Deps, writing
from followup.services.touches import warnings_of, with_contact


class Keep(enum.Enum):
    """The value of a field the correction leaves as it is."""

    KEEP = "keep"


KEEP: Final = Keep.KEEP
T = TypeVar("T")
#: A field of a correction: a new value, or :data:`KEEP`.
Field = Union[T, Keep]  # noqa: UP007 - a generic alias needs Union on Python 3.11


def _pick(new: Field[T], old: T, check: Callable[[T], T] | None = None) -> T:
    """``old`` when the field is kept, else the new value, checked as on creation."""
    if new is KEEP:
        return old
    return check(new) if check is not None else new


def _text(new: Field[str | None], old: str | None, field: str) -> str | None:
    """Free text: kept, or checked by the one rule of every way in (limits included)."""
    return _pick(new, old, lambda value: check_text(value, field))


# --- applications ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicationEdit:
    company: Field[str] = KEEP
    position: Field[str] = KEEP
    applied_on: Field[date | None] = KEEP
    link: Field[str | None] = KEEP
    source: Field[str | None] = KEEP
    notes: Field[str | None] = KEEP
    posting: Field[str | None] = KEEP


def edit_application(
    deps: Deps,
    app_id: str,
    edit: ApplicationEdit,
    now: datetime | None = None,
    *,
    duplicate_ok: bool = False,
) -> Saved:
    """A correction that makes the application one already there (same company, same
    position) is refused as :class:`Duplicate` unless ``duplicate_ok``, as ``add`` does;
    one that leaves both as they were (case and spacing aside) is not asked about again."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        updated = replace(
            app,
            company=_pick(edit.company, app.company, lambda v: _required(v, "company")),
            position=_pick(edit.position, app.position, lambda v: _required(v, "position")),
            applied_on=_pick(edit.applied_on, app.applied_on, lambda v: check_applied_on(s, v)),
            link=_pick(edit.link, app.link, check_link),
            source=_text(edit.source, app.source, "source"),
            notes=_text(edit.notes, app.notes, "notes"),
            posting=_text(edit.posting, app.posting, "posting"),
        )
        if not duplicate_ok and _named(updated) != _named(app):
            check_not_duplicate(s, updated.company, updated.position, other_than=app.id)
        return _saved(s, updated)


def _named(app: Application) -> tuple[str, str]:
    """What makes two applications the same one (as :func:`check_not_duplicate` sees it)."""
    return app.company_key, app.position.strip().casefold()


def _required(value: str, field: str) -> str:
    checked = check_text(value, field, required=True)
    assert checked is not None  # check_text(required=True) never returns None
    return checked


def delete_application(deps: Deps, app_id: str, now: datetime | None = None) -> Application:
    """Delete an application with everything it holds; ``followup undo`` brings it back."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        s.delete([app.id])
        return app


# --- interviews -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InterviewEdit:
    at: Field[datetime] = KEEP
    interviewers: Field[tuple[str, ...]] = KEEP
    contacts_every_applicant: Field[bool | None] = KEEP
    direct_contact_ok: Field[bool | None] = KEEP
    contact_window: Field[ContactWindow | None] = KEEP
    answer_by: Field[date | None] = KEEP
    notes: Field[str | None] = KEEP
    cancelled: Field[bool] = KEEP


def edit_interview(
    deps: Deps,
    app_id: str,
    interview_id: str,
    edit: InterviewEdit,
    now: datetime | None = None,
) -> tuple[Interview, Saved]:
    """Reschedule, change the interviewers or the answers, cancel or restore an interview."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = _interview(app, interview_id)
        at = old.at if edit.at is KEEP else check_moment(edit.at, "at")
        assert at is not None
        if edit.at is not KEEP:
            check_free_time(app, at, interview_id)
        interviewers = _pick(edit.interviewers, old.interviewers)
        _check_interviewers(app, interviewers)
        new = replace(
            old,
            at=at,
            interviewers=interviewers,
            contacts_every_applicant=_pick(
                edit.contacts_every_applicant, old.contacts_every_applicant
            ),
            direct_contact_ok=_pick(edit.direct_contact_ok, old.direct_contact_ok),
            contact_window=_pick(edit.contact_window, old.contact_window),
            answer_by=_pick(edit.answer_by, old.answer_by, lambda v: check_day(v, "answer_by")),
            notes=_text(edit.notes, old.notes, "notes"),
            cancelled=_pick(edit.cancelled, old.cancelled),
        )
        interviews = tuple(new if iv.id == old.id else iv for iv in app.interviews)
        saved = _saved(s, replace(app, interviews=interviews))
        entered = None if edit.contact_window is KEEP else edit.contact_window
        return new, window_warned(saved, entered, old.contact_window)


def delete_interview(
    deps: Deps, app_id: str, interview_id: str, now: datetime | None = None
) -> Saved:
    """Delete an interview entered by mistake (one that will not happen: cancel it)."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = _interview(app, interview_id)
        about = {prepare_action_id(app.id, old.id), debrief_action_id(app.id, old.id)}
        thanks = thank_you_action_id(app.id, old.id, None).removesuffix("-")
        return _saved(
            s,
            replace(
                app,
                interviews=tuple(iv for iv in app.interviews if iv.id != old.id),
                # Its dismissals go with it: an interview later given the same id is new.
                dismissed=frozenset(
                    a for a in app.dismissed if a not in about and not a.startswith(thanks)
                ),
            ),
        )


# --- touches --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TouchEdit:
    at: Field[datetime] = KEEP
    channel: Field[Channel] = KEEP
    purpose: Field[Purpose] = KEEP
    outcome: Field[Outcome] = KEEP
    contact: Field[str | None] = KEEP
    decision: Field[Decision | None] = KEEP
    decision_by: Field[date | None] = KEEP
    vacancies: Field[str | None] = KEEP
    notes: Field[str | None] = KEEP


def edit_touch(
    deps: Deps, app_id: str, touch_id: str, edit: TouchEdit, now: datetime | None = None
) -> tuple[Touch, Saved]:
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = touch_of(app, touch_id)
        at = old.at if edit.at is KEEP else check_moment(edit.at, "at")
        assert at is not None
        if edit.at is not KEEP:
            check_happened(s, at, "at")
        new = replace(
            old,
            at=at,
            channel=_pick(edit.channel, old.channel),
            purpose=_pick(edit.purpose, old.purpose),
            outcome=_pick(edit.outcome, old.outcome),
            contact=_pick(edit.contact, old.contact),
            decision=_pick(edit.decision, old.decision),
            decision_by=_pick(
                edit.decision_by, old.decision_by, lambda v: check_day(v, "decision_by")
            ),
            vacancies=_text(edit.vacancies, old.vacancies, "vacancies"),
            notes=_text(edit.notes, old.notes, "notes"),
        )
        problem = outcome_channel_problem(new.outcome, new.channel)
        if problem:
            raise InvalidInput(problem, field="outcome")
        app, contact = with_contact(s, app, new.contact)
        new = replace(new, contact=contact)
        status = app.status
        newly_closing = new.decision in CLOSING_DECISIONS and old.decision != new.decision
        if newly_closing and status is Status.ACTIVE:  # R15, as when it is recorded
            status = Status.REJECTED if new.decision is Decision.REJECTED else Status.OFFER
        touches = tuple(new if t.id == old.id else t for t in app.touches)
        updated = replace(app, touches=touches, status=status)
        warned = _counted(new) != _counted(old) and warnings_of(s, updated, new, corrected=True)
        saved = _saved(s, updated)
        return new, replace(saved, warnings=tuple(warned or ()))


def _counted(touch: Touch) -> tuple[object, ...]:
    """What R13 and R7 look at in a touch: a correction of anything else (its notes, the
    decision) is not warned about again."""
    return touch.at, touch.channel, touch.purpose, touch.outcome


def delete_touch(deps: Deps, app_id: str, touch_id: str, now: datetime | None = None) -> Saved:
    with writing(deps, now) as s:
        app = s.application(app_id)
        old = touch_of(app, touch_id)
        return _saved(s, replace(app, touches=tuple(t for t in app.touches if t.id != old.id)))


def touch_of(app: Application, touch_id: str) -> Touch:
    for t in app.touches:
        if t.id == touch_id:
            return t
    known = ", ".join(t.id for t in app.touches) or "none yet"
    raise NotFound(f"{app.id} has no touch {touch_id!r} (touches: {known})", field="touch")


# --- contacts -------------------------------------------------------------------------------


def delete_contact(deps: Deps, app_id: str, contact_id: str, now: datetime | None = None) -> Saved:
    """Refused while an interview or a touch names the contact: say which."""
    with writing(deps, now) as s:
        app = s.application(app_id)
        contact = _contact(app, contact_id)
        users = [f"interview {iv.id}" for iv in app.interviews if contact.id in iv.interviewers]
        users += [f"touch {t.id}" for t in app.touches if t.contact == contact.id]
        if users:
            raise Refused(
                f"{contact.name} ({contact.id}) is used by {', '.join(users)}: "
                "correct or delete those first",
                field="contact",
            )
        return _saved(
            s, replace(app, contacts=tuple(c for c in app.contacts if c.id != contact.id))
        )
