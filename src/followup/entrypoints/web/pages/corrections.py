"""Corrections to one application: edit or delete what was recorded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from followup.domain.model import (
    Channel,
    Decision,
    Outcome,
    Purpose,
)
from followup.entrypoints.web.changes import tracked, with_flash
from followup.entrypoints.web.forms import (
    choice,
    day,
    moment,
    raw,
    text,
    today_of,
    window,
    yes_no,
)
from followup.entrypoints.web.pages.application import _on_application
from followup.entrypoints.web.rendering import render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import InvalidInput
from followup.services import (
    applications,
    corrections,
)
from followup.services.session import Deps

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


# --- corrections (issue 8) -------------------------------------------------------------------
#
# Each form sends only the fields it edits: a field left out stays as it is, an empty one
# clears it. On a refusal the application page comes back with the message beside the field
# (the form's name, then the field: ``edit.company``, ``interview-iv1.at``...).


def _kept(form: FormData, name: str, read: Callable[[str], Any]) -> Any:
    """KEEP when the form has no such field, None when it is empty, else ``read(name)``."""
    value = raw(form, name)
    if value is None:
        return corrections.KEEP
    return read(name) if value.strip() else None


@posts.post("/applications/{app_id}/edit")
async def edit_application(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> object:
        today = today_of(deps)
        edit = corrections.ApplicationEdit(
            company=_kept(form, "company", lambda n: text(form, n)) or "",
            position=_kept(form, "position", lambda n: text(form, n)) or "",
            applied_on=_kept(form, "applied_on", lambda n: day(form, n, today)),
            link=_kept(form, "link", lambda n: text(form, n)),
            source=_kept(form, "source", lambda n: text(form, n)),
            notes=_kept(form, "notes", lambda n: text(form, n)),
            posting=_kept(form, "posting", lambda n: text(form, n)),
        )
        return corrections.edit_application(
            deps, app_id, edit, duplicate_ok=text(form, "duplicate_ok") == "yes"
        )

    return await _on_application(request, app_id, "edit", handle)


@pages.get("/applications/{app_id}/delete", response_class=HTMLResponse)
async def delete_application_page(request: Request, app_id: str) -> Response:
    """The confirmation step: what deleting would take away (Undo brings it back)."""
    deps = deps_of(request)
    saved = applications.get_application(deps, app_id, deps.clock.now())
    return render(request, "delete.html", {"app": saved.application})


@posts.post("/applications/{app_id}/delete")
async def delete_application(request: Request, app_id: str) -> Response:
    form = await request.form()
    deps = deps_of(request)
    if form.get("confirm") != "yes":  # only the confirmation page's button deletes
        return RedirectResponse(f"/applications/{quote(app_id)}/delete", status_code=303)
    _, change = tracked(deps, lambda: corrections.delete_application(deps, app_id))
    return with_flash(RedirectResponse("/applications", status_code=303), change)


def _interviewers(form: FormData) -> Any:
    """The interviewers ticked; KEEP when the form has no such field (a form that lists
    them sends an empty ``interviewers`` too, so that none ticked clears them)."""
    if "interviewers" not in form:
        return corrections.KEEP
    return tuple(v for v in form.getlist("interviewers") if isinstance(v, str) and v.strip())


@posts.post("/applications/{app_id}/interviews/{interview_id}")
async def edit_interview(request: Request, app_id: str, interview_id: str) -> Response:
    """Reschedule (``at``), change the interviewers, the answers (R3) or the notes;
    ``cancelled=no`` with them brings a cancelled interview back."""

    def handle(form: FormData, deps: Deps) -> object:
        at = _kept(form, "at", lambda n: moment(form, n, deps))
        if at is None:
            raise InvalidInput("give the date and time of the interview", field="at")
        edit = corrections.InterviewEdit(
            at=at,
            interviewers=_interviewers(form),
            contacts_every_applicant=corrections.KEEP
            if raw(form, "contacts_every_applicant") is None
            else yes_no(form, "contacts_every_applicant"),
            direct_contact_ok=corrections.KEEP
            if raw(form, "direct_contact_ok") is None
            else yes_no(form, "direct_contact_ok"),
            contact_window=_kept(form, "contact_window", lambda n: window(form, n)),
            answer_by=_kept(form, "answer_by", lambda n: day(form, n, today_of(deps))),
            notes=_kept(form, "notes", lambda n: text(form, n)),
            # A cancelled interview rescheduled happens after all: one change, one Undo.
            cancelled=corrections.KEEP
            if raw(form, "cancelled") is None
            else yes_no(form, "cancelled") is True,
        )
        return corrections.edit_interview(deps, app_id, interview_id, edit)

    return await _on_application(request, app_id, f"interview-{interview_id}", handle)


@posts.post("/applications/{app_id}/interviews/{interview_id}/cancel")
async def cancel_interview(request: Request, app_id: str, interview_id: str) -> Response:
    """Cancel an interview that will not happen (``cancelled=no`` restores it)."""

    def handle(form: FormData, deps: Deps) -> object:
        cancelled = yes_no(form, "cancelled")
        edit = corrections.InterviewEdit(cancelled=cancelled is not False)
        return corrections.edit_interview(deps, app_id, interview_id, edit)

    return await _on_application(request, app_id, f"interview-{interview_id}", handle)


@posts.post("/applications/{app_id}/interviews/{interview_id}/delete")
async def delete_interview(request: Request, app_id: str, interview_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> object:
        return corrections.delete_interview(deps, app_id, interview_id)

    return await _on_application(request, app_id, f"interview-{interview_id}", handle)


@posts.post("/applications/{app_id}/touches/{touch_id}")
async def edit_touch(request: Request, app_id: str, touch_id: str) -> Response:
    """Correct a touch: its outcome, time, channel, contact, decision, vacancies, notes."""

    def handle(form: FormData, deps: Deps) -> object:
        today = today_of(deps)
        at = _kept(form, "at", lambda n: moment(form, n, deps))
        outcome = _kept(form, "outcome", lambda n: choice(form, n, Outcome))
        if at is None:
            raise InvalidInput("give the date and time of the touch", field="at")
        if outcome is None:
            raise InvalidInput("choose what happened", field="outcome")
        edit = corrections.TouchEdit(
            at=at,
            outcome=outcome,
            channel=_kept(form, "channel", lambda n: choice(form, n, Channel)) or corrections.KEEP,
            purpose=_kept(form, "purpose", lambda n: choice(form, n, Purpose)) or corrections.KEEP,
            contact=_kept(form, "contact", lambda n: text(form, n)),
            decision=_kept(form, "decision", lambda n: choice(form, n, Decision)),
            decision_by=_kept(form, "decision_by", lambda n: day(form, n, today)),
            vacancies=_kept(form, "vacancies", lambda n: text(form, n)),
            notes=_kept(form, "notes", lambda n: text(form, n)),
        )
        return corrections.edit_touch(deps, app_id, touch_id, edit)

    return await _on_application(request, app_id, f"touch-{touch_id}", handle)


@posts.post("/applications/{app_id}/touches/{touch_id}/delete")
async def delete_touch(request: Request, app_id: str, touch_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> object:
        return corrections.delete_touch(deps, app_id, touch_id)

    return await _on_application(request, app_id, f"touch-{touch_id}", handle)


@posts.post("/applications/{app_id}/contacts/{contact_id}/delete")
async def delete_contact(request: Request, app_id: str, contact_id: str) -> Response:
    """Refused, naming them, while an interview or a touch names the contact."""

    def handle(form: FormData, deps: Deps) -> object:
        return corrections.delete_contact(deps, app_id, contact_id)

    return await _on_application(request, app_id, f"contact-{contact_id}", handle)
