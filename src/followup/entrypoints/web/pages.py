"""The pages: Today, Applications, one application, a company, Week, History, Settings.

Every form is a plain HTML form that works without JavaScript: it posts, and the
server answers with a redirect (post/redirect/get) or, when something is wrong, the
same page again with the message next to the field and nothing saved. With HTMX an
action card's buttons post in place and the page comes back made afresh (:func:`_after`).
No GET changes anything; every POST carries the CSRF token (:mod:`.security`). After a
change the page confirms it with an Undo button (:mod:`.changes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from followup.domain.agenda import Detail
from followup.domain.model import (
    Action,
    Application,
    Channel,
    Decision,
    Outcome,
    Purpose,
    Role,
    Status,
)
from followup.domain.policy import POLICY_KEYS
from followup.entrypoints.presenting import describe, local_time, timeline
from followup.entrypoints.web.api import error_response
from followup.entrypoints.web.changes import MAX_ID, Flash, flash_of, tracked, with_flash
from followup.entrypoints.web.forms import (
    back,
    choice,
    day,
    form_errors,
    moment,
    raw,
    submit,
    text,
    today_of,
    window,
    yes_no,
)
from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.rendering import cached, dom_id, is_htmx, render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import Duplicate, FollowupError, InvalidFile, InvalidInput, NotFound
from followup.services import (
    agenda,
    companies,
    corrections,
    drafts,
    history,
    interchange,
    listing,
    records,
    touches,
)
from followup.services import settings as settings_service
from followup.services.planning import COMING_DAYS
from followup.services.ports import SORTS
from followup.services.session import Deps, reading

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


def install(app: FastAPI) -> None:
    app.include_router(pages)
    app.include_router(posts)

    async def followup_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, FollowupError)
        if request.url.path.startswith("/api/"):
            return error_response(exc)
        code = 404 if isinstance(exc, NotFound) else 400
        return render(request, "error.html", {"message": worded(exc)}, status=code)

    app.add_exception_handler(FollowupError, followup_error)


# --- Today ---------------------------------------------------------------------------------


def cards(deps: Deps, actions: list[Action]) -> list[dict[str, Any]]:
    """What an action card needs: the action, its contact's links, whether mail can go."""
    contacts, can_send = listing.card_details(deps, actions)
    return [
        {
            "action": action,
            "contact": contacts.get((action.contact_owner or "", action.contact or "")),
            "can_send": can_send,
        }
        for action in actions
    ]


@pages.get("/", response_class=HTMLResponse)
async def today_page(request: Request) -> Response:
    return await cached(request, lambda: _today(request))


async def _today(request: Request, notice: Notice | None = None) -> Response:
    """Overdue, today and this week (the :data:`COMING_DAYS` after today, as on Week)."""
    deps = deps_of(request)
    with reading(deps) as plan:
        view = plan.view(COMING_DAYS)
    from followup.services import mail  # noqa: PLC0415 - as for sending: loaded when used

    stuck = mail.stuck(deps)
    found = cards(deps, view.actions)  # one read for every section
    return render(
        request,
        "today.html",
        {
            "view": view,
            "stuck": stuck,
            "sections": [
                ("Overdue", "overdue", [c for c in found if c["action"].due < view.today]),
                ("Today", "today", [c for c in found if c["action"].due == view.today]),
                ("This week", "coming", [c for c in found if c["action"].due > view.today]),
            ],
            "notice": notice,
            "path": "/",
        },
    )


@pages.get("/week", response_class=HTMLResponse)
async def week_page(request: Request) -> Response:
    return await cached(request, lambda: _week(request))


async def _week(request: Request) -> Response:
    deps = deps_of(request)
    view, days = listing.week(deps)
    with reading(deps) as plan:
        tz = plan.settings.tz
    return render(request, "week.html", {"view": view, "days": days, "tz": tz})


# --- actions -------------------------------------------------------------------------------


@pages.get("/actions/{action_id}/draft", response_class=HTMLResponse)
async def draft_page(request: Request, action_id: str) -> Response:
    deps = deps_of(request)
    action, email = drafts.email(deps, action_id, deps.clock.now())
    mailto = "mailto:" + quote(email.to_email or "", safe="@")
    mailto += f"?subject={quote(email.subject)}&body={quote(email.body)}"
    name = "_draft.html" if is_htmx(request) else "draft.html"
    return render(request, name, {"action": action, "email": email, "mailto": mailto})


@dataclass(frozen=True, slots=True)
class Notice:
    """What an action card's button did, shown above the page it came from.

    Made for one response and never cached (:func:`.rendering.cached` keeps GET pages only).
    """

    summary: str
    application: Application | None
    next: list[Action]
    #: Whether the change moved the application's status (worth saying, R9).
    status_changed: bool = False
    #: The history entry an Undo button beside the notice reverts.
    undo: int | None = None


async def _after(request: Request, form: FormData, notice: Notice, change: int | None) -> Response:
    """The answer to an action card's button, which made history entry ``change``.

    Without JavaScript: post/redirect/get, back to the page the card was on, which then
    confirms the change with its Undo button (:mod:`.changes`). With HTMX:
    that page made afresh with the notice on top; the card's form swaps it for the old
    ``<main>``, so every card that changed moves at once: the next action of this
    application to the section of its date, and the other applications at the same
    company whose follow-ups R13 spaced out.
    """
    if not is_htmx(request):
        return with_flash(back(form, "/"), change)
    flash = flash_of(deps_of(request), change)
    notice = replace(notice, undo=flash.undo if flash is not None else None)
    target = form.get("next")
    if isinstance(target, str) and target.startswith("/applications/"):
        app_id = unquote(target.removeprefix("/applications/").partition("?")[0])
        if app_id and "/" not in app_id:
            return await _application(request, app_id, notice=notice)
    return await _today(request, notice=notice)


def _refused_card(request: Request, deps: Deps, action_id: str, e: FollowupError) -> Response:
    """The card again with the message, in place of itself (HTMX only; 422)."""
    action = touches.find_action(deps, action_id, deps.clock.now())
    context = {"card": cards(deps, [action])[0], "errors": form_errors(e, "done")}
    response = render(request, "_card.html", context, status=422)
    selector = f"#{dom_id(action.id)}"
    response.headers.update(
        {"HX-Retarget": selector, "HX-Reselect": selector, "HX-Reswap": "outerHTML"}
    )
    return response


@posts.post("/actions/{action_id}/done")
async def action_done(request: Request, action_id: str) -> Response:
    form = await request.form()
    deps = deps_of(request)
    try:
        completed, change = tracked(
            deps,
            lambda: touches.complete(
                deps,
                action_id,
                outcome=choice(form, "outcome", Outcome),
                decision=choice(form, "decision", Decision),
                decision_by=day(form, "decision_by", today_of(deps)),
                vacancies=text(form, "vacancies"),
            ),
        )
    except FollowupError as e:
        if not is_htmx(request):
            raise
        return _refused_card(request, deps, action_id, e)
    logged = completed.logged
    summary = completed.message if logged is None else _summary(logged)
    return await _after(
        request,
        form,
        Notice(summary, completed.application, completed.actions, completed.status_changed),
        change,
    )


def _summary(logged: touches.Logged) -> str:
    return f"Recorded: {describe(logged.application, logged.touch)}."


@posts.post("/actions/{action_id}/send")
async def action_send(request: Request, action_id: str) -> Response:
    """Send the drafted email from the user's account (issue 4), then show what is next.

    The SMTP exchange is short and blocking; a local app with one user can afford it.
    """
    from followup.services import mail  # noqa: PLC0415

    form = await request.form()
    deps = deps_of(request)
    make_mailer = request.app.state.make_mailer
    if make_mailer is None:
        raise InvalidInput("this server cannot send email", field="send")
    now = deps.clock.now()
    try:
        entry = mail.compose(deps, action_id, now)
        delivery, change = tracked(deps, lambda: mail.send(deps, make_mailer(deps), entry, now))
    except FollowupError as e:
        if not is_htmx(request):
            raise
        return _refused_card(request, deps, action_id, e)
    assert delivery.logged is not None
    logged = delivery.logged
    notice = Notice(
        f"Sent to {entry.recipient}.", logged.application, logged.actions, logged.status_changed
    )
    return await _after(request, form, notice, change)


@posts.post("/actions/{action_id}/dismiss")
async def action_dismiss(request: Request, action_id: str) -> Response:
    form = await request.form()
    deps = deps_of(request)
    saved, change = tracked(deps, lambda: touches.dismiss(deps, action_id))
    notice = Notice("Dismissed.", saved.application, saved.actions)
    return await _after(request, form, notice, change)


# --- Applications --------------------------------------------------------------------------


@pages.get("/applications", response_class=HTMLResponse)
async def applications_page(
    request: Request,
    q: str = "",
    status: str = "",
    sort: str = "-applied",
    page: int = 1,
) -> Response:
    return await cached(request, lambda: _applications(request, q, status, sort, page))


async def _applications(
    request: Request,
    q: str = "",
    status: str = "",
    sort: str = "-applied",
    page: int = 1,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
    duplicate: dict[str, str] | None = None,
) -> Response:
    deps = deps_of(request)
    wanted = Status(status) if status in {s.value for s in Status} else None
    found = listing.search(
        deps, q[:200], wanted, sort if sort.lstrip("-") in SORTS else "-applied", page
    )
    return render(
        request,
        "applications.html",
        {
            "board": listing.board(deps),
            "found": found,
            "q": q,
            "status": status,
            "sort": sort,
            "errors": errors or {},
            "values": values or {},
            "duplicate": duplicate,
        },
        status=code,
    )


@posts.post("/applications")
async def add_application(request: Request) -> Response:
    """Add an application; one like an existing one (same company, same position) is only
    added once the user confirms it (issue 8: no silent duplicates)."""

    def handle(form: FormData, deps: Deps) -> Response:
        saved, change = tracked(
            deps,
            lambda: records.add_application(
                deps,
                text(form, "company") or "",
                text(form, "position") or "",
                applied_on=day(form, "applied_on", today_of(deps)),
                link=text(form, "link"),
                source=text(form, "source"),
                notes=text(form, "notes"),
                posting=text(form, "posting"),
                duplicate_ok=text(form, "duplicate_ok") == "yes",
            ),
        )
        target = f"/applications/{quote(saved.application.id)}"
        return with_flash(RedirectResponse(target, status_code=303), change)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _applications(request, errors=errors, values=values, code=422)

    try:
        return await submit(request, "new", handle, again, passes=(Duplicate,))
    except Duplicate as e:
        form = await request.form()
        values = {f"new.{k}": v for k, v in form.items() if isinstance(v, str)}
        return await _applications(
            request, values=values, code=409, duplicate={"message": str(e), "existing": e.existing}
        )


@pages.get("/applications/{app_id}", response_class=HTMLResponse)
async def application_page(request: Request, app_id: str) -> Response:
    return await cached(request, lambda: _application(request, app_id))


#: The choices of a touch's correction form, as the page words them.
_OUTCOMES = [
    (Outcome.SENT.value, "sent (an email)"),
    (Outcome.REACHED.value, "talked to them (a call)"),
    (Outcome.NO_ANSWER.value, "nobody answered (a call)"),
    (Outcome.VOICEMAIL.value, "left a message (a call)"),
    (Outcome.REPLIED.value, "they answered"),
    (Outcome.SKIPPED.value, "skipped"),
]
_PURPOSES = [
    (Purpose.STATUS.value, "the process (status)"),
    (Purpose.THANK_YOU.value, "a thank-you"),
]
_DECISIONS = [
    ("", "They did not say"),
    (Decision.UNDECIDED.value, "Not decided yet"),
    (Decision.REJECTED.value, "Rejected"),
    (Decision.OFFER.value, "Offer"),
]


async def _application(
    request: Request,
    app_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
    notice: Notice | None = None,
) -> Response:
    deps = deps_of(request)
    now = deps.clock.now()
    saved = records.get_application(deps, app_id, now)
    app = saved.application
    with reading(deps, now) as plan:
        tz = plan.settings.tz
    vacancies = companies.vacancies(deps, app)
    # No debrief for an interview that will not happen (all of them cancelled: none at all).
    debrief = records.last_interview(app, now) if app.held_interviews else None
    return render(
        request,
        "application.html",
        {
            "app": app,
            "cards": cards(deps, saved.actions),
            "events": timeline(app, tz),
            "debrief": debrief,
            "debrief_when": local_time(debrief.at, tz) if debrief else "",
            "vacancies": vacancies,
            "interviews": {iv.id: iv for iv in app.interviews},
            "people": [("", "(nobody named)"), *((c.id, c.name) for c in app.contacts)],
            "OUTCOMES": _OUTCOMES,
            "PURPOSES": _PURPOSES,
            "DECISIONS": _DECISIONS,
            "touches": {t.id: t for t in app.touches},
            "tz": tz,
            "errors": errors or {},
            "gone": [m for k, m in (errors or {}).items() if _gone(app, k)],
            "values": values or {},
            "notice": notice,
            "path": f"/applications/{quote(app.id)}",
        },
        status=code,
    )


def _gone(app: Application, key: str) -> bool:
    """A refusal of a form whose record is no longer there (deleted from another tab):
    no field to show it beside, so the page says it under its title."""
    form = key.partition(".")[0]
    kind, _, ref = form.partition("-")
    records = {
        "interview": {iv.id for iv in app.interviews},
        "touch": {t.id for t in app.touches},
        "contact": {c.id for c in app.contacts},
    }
    return bool(ref) and kind in records and ref not in records[kind]


async def _on_application(
    request: Request, app_id: str, form_name: str, handle: Callable[[FormData, Deps], object]
) -> Response:
    """A form of the application page: on success back to it with a confirmation (and its
    Undo button), else the page again with the message beside the field."""

    def run(form: FormData, deps: Deps) -> Response:
        _, change = tracked(deps, lambda: handle(form, deps))
        return with_flash(back(form, f"/applications/{quote(app_id)}"), change)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _application(request, app_id, errors, values, code=422)

    return await submit(request, form_name, run, again)


@posts.post("/applications/{app_id}/status")
async def set_status(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        status = choice(form, "status", Status)
        if status is None:
            raise InvalidInput("choose a status", field="status")
        records.set_status(deps, app_id, status)

    return await _on_application(request, app_id, "status", handle)


@posts.post("/applications/{app_id}/snooze")
async def snooze(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        records.snooze(deps, app_id, day(form, "until", today_of(deps)))

    return await _on_application(request, app_id, "snooze", handle)


@posts.post("/applications/{app_id}/contacts")
async def add_contact(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        records.add_contact(
            deps,
            app_id,
            records.ContactInput(
                name=text(form, "name"),
                role=choice(form, "role", Role),
                email=text(form, "email"),
                phone=text(form, "phone"),
                name_confirmed=text(form, "name_confirmed") == "yes",
            ),
        )

    return await _on_application(request, app_id, "contact", handle)


@posts.post("/applications/{app_id}/contacts/{contact_id}")
async def edit_contact(request: Request, app_id: str, contact_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        confirmed = text(form, "name_confirmed")
        records.edit_contact(
            deps,
            app_id,
            contact_id,
            records.ContactInput(
                name=text(form, "name"),
                email=raw(form, "email"),
                phone=raw(form, "phone"),
                name_confirmed=None if confirmed is None else confirmed == "yes",
                email_ok=text(form, "email_ok") == "yes" or None,
            ),
        )

    return await _on_application(request, app_id, f"contact-{contact_id}", handle)


@posts.post("/applications/{app_id}/interviews")
async def add_interview(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        at = moment(form, "at", deps)
        if at is None:
            raise InvalidInput("give the date and time of the interview", field="at")
        records.record_interview(
            deps,
            app_id,
            records.InterviewInput(
                at=at,
                interviewers=tuple(v for v in form.getlist("interviewers") if isinstance(v, str)),
                contacts_every_applicant=yes_no(form, "contacts_every_applicant"),
                direct_contact_ok=yes_no(form, "direct_contact_ok"),
                contact_window=window(form, "contact_window"),
                answer_by=day(form, "answer_by", today_of(deps)),
                notes=text(form, "notes"),
            ),
        )

    return await _on_application(request, app_id, "interview", handle)


@posts.post("/applications/{app_id}/debrief")
async def debrief(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        confirmed = tuple(v for v in form.getlist("confirm") if isinstance(v, str))
        new = []
        if name := text(form, "new_name"):
            new.append(
                records.ContactInput(
                    name=name,
                    role=Role.INTERVIEWER,
                    email=text(form, "new_email"),
                    phone=text(form, "new_phone"),
                    name_confirmed=text(form, "new_confirmed") == "yes",
                )
            )
        details = []
        for key, value in form.items():
            kind, _, cid = key.partition(":")
            if not cid or not isinstance(value, str) or not value.strip():
                continue
            if kind == "email":
                details.append((cid, records.ContactInput(email=value)))
            elif kind == "phone":
                details.append((cid, records.ContactInput(phone=value)))
        records.debrief(
            deps,
            app_id,
            text(form, "interview"),
            records.Debrief(
                contacts_every_applicant=yes_no(form, "contacts_every_applicant"),
                direct_contact_ok=yes_no(form, "direct_contact_ok"),
                contact_window=window(form, "contact_window"),
                answer_by=day(form, "answer_by", today_of(deps)),
                contacts=(
                    *((cid, records.ContactInput(name_confirmed=True)) for cid in confirmed),
                    *details,
                ),
                new_interviewers=tuple(new),
            ),
        )

    return await _on_application(request, app_id, "debrief", handle)


@posts.post("/applications/{app_id}/touches")
async def log_touch(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        outcome = choice(form, "outcome", Outcome)
        if outcome is None:
            raise InvalidInput("choose what happened", field="outcome")
        touches.log_touch(
            deps,
            app_id,
            touches.TouchInput(
                outcome=outcome,
                purpose=choice(form, "purpose", Purpose) or Purpose.STATUS,
                channel=choice(form, "channel", Channel),
                contact=text(form, "contact"),
                at=moment(form, "at", deps),
                decision=choice(form, "decision", Decision),
                decision_by=day(form, "decision_by", today_of(deps)),
                vacancies=text(form, "vacancies"),
                notes=text(form, "notes"),
                new_applications=tuple(
                    v.strip()
                    for v in form.getlist("new_applications")
                    if isinstance(v, str) and v.strip()
                ),
            ),
        )

    return await _on_application(request, app_id, "touch", handle)


@posts.post("/applications/{app_id}/vacancies")
async def add_vacancy(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        title = text(form, "title")
        if title is None:
            raise InvalidInput("which vacancy?", field="title")
        touches.add_vacancies(deps, app_id, [title])

    return await _on_application(request, app_id, "vacancy", handle)


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
        return corrections.edit_application(deps, app_id, edit)

    return await _on_application(request, app_id, "edit", handle)


@pages.get("/applications/{app_id}/delete", response_class=HTMLResponse)
async def delete_application_page(request: Request, app_id: str) -> Response:
    """The confirmation step: what deleting would take away (Undo brings it back)."""
    deps = deps_of(request)
    saved = records.get_application(deps, app_id, deps.clock.now())
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


# --- History and undo ------------------------------------------------------------------------


@pages.get("/history", response_class=HTMLResponse)
async def history_page(request: Request, before: int | None = None) -> Response:
    return await _history(request, before)


async def _history(
    request: Request, before: int | None = None, error: str | None = None, code: int = 200
) -> Response:
    deps = deps_of(request)
    older_than = before if before is not None and 0 < before <= MAX_ID else None
    found = history.entries(deps, history.PAGE + 1, older_than)
    shown = found[: history.PAGE]
    newest = history.newest_undoable(deps)
    with reading(deps) as plan:
        tz = plan.settings.tz
    return render(
        request,
        "history.html",
        {
            "entries": shown,
            "older": shown[-1].id if len(found) > history.PAGE else None,
            "undoable": newest.id if newest else None,
            "tz": tz,
            "error": error,
        },
        status=code,
    )


@posts.post("/undo")
async def undo(request: Request) -> Response:
    """Undo the change named by ``entry`` (refused unless it is the newest one not undone)."""
    form = await request.form()
    deps = deps_of(request)
    value = text(form, "entry")
    try:
        if value is not None and not (value.isdigit() and len(value) < 19):
            raise InvalidInput(f"{value!r} is not a change number", field="entry")
        undone = history.undo(deps, int(value) if value else None)
    except FollowupError as e:
        return await _history(request, error=str(e), code=409)
    response = back(form, "/history")
    page = re.match(r"/applications/([^/?#]+)", response.headers["location"])
    # The undo may have taken away the application the form came from.
    if page and not records.exists(deps, unquote(page.group(1))):
        response = RedirectResponse("/applications", status_code=303)
    return with_flash(response, undone.undo)


# --- Companies -------------------------------------------------------------------------------


@pages.get("/companies/{key:path}", response_class=HTMLResponse)  # a name may hold a "/"
async def company_page(request: Request, key: str) -> Response:
    return await cached(request, lambda: _company(request, key))


async def _company(request: Request, key: str) -> Response:
    deps = deps_of(request)
    view = companies.company(deps, key[:200], deps.clock.now())
    with reading(deps) as plan:
        tz = plan.settings.tz
    apps = {s.application.id: s.application for s in view.applications}
    said = [
        (app_id, local_time(t.at, tz), describe(apps[app_id], t), t.notes)
        for app_id, t in view.touches
    ]
    return render(
        request,
        "company.html",
        {"company": view, "apps": apps, "touches": said, "cards": cards(deps, view.planned)},
    )


# --- Settings ------------------------------------------------------------------------------


@pages.get("/settings", response_class=HTMLResponse)
async def settings_page(request: Request) -> Response:
    return await _settings(request)


async def _settings(
    request: Request,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
    message: str | None = None,
    feed_url: str | None = None,
    flash: Flash | None = None,
) -> Response:
    deps = deps_of(request)
    current = settings_service.show(deps)
    feed = agenda.current(deps)
    return render(
        request,
        "settings.html",
        {
            "settings": current,
            "rows": settings_service.describe(current),
            "errors": errors or {},
            "values": values or {},
            "message": message,
            "feed": feed,
            "feed_since": feed.created_at.astimezone(current.tz).date() if feed else None,
            "feed_url": feed_url,
            **({"flash": flash} if flash else {}),
        },
        status=code,
    )


@posts.post("/settings")
async def save_settings(request: Request) -> Response:
    def handle(form: FormData, deps: Deps) -> Response:
        keys = ["timezone", "country", "name", *POLICY_KEYS]
        current = settings_service.show(deps)
        shown = {
            r.key: "" if r.value is None else str(r.value)
            for r in settings_service.describe(current)
        }
        changes = {}
        for key in keys:
            value = form.get(key)
            if isinstance(value, str) and value.strip() != shown[key]:
                changes[key] = value
        _, change = tracked(deps, lambda: settings_service.update(deps, changes))
        return with_flash(RedirectResponse("/settings", status_code=303), change)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _settings(request, errors, values, code=422)

    return await submit(request, "settings", handle, again)


@posts.post("/settings/calendar")
async def calendar_feed(request: Request) -> Response:
    """Make a new feed address (shown in this answer only: it is not stored) or turn it off."""
    form = await request.form()
    deps = deps_of(request)
    if form.get("do") == "off":
        agenda.turn_off(deps)
        return await _settings(
            request, message="The calendar feed is off: its address no longer works."
        )
    detail = Detail(notes=form.get("notes") == "on", phones=form.get("phones") == "on")
    token = agenda.new_feed(deps, deps.clock.now(), detail)
    url = f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics"
    return await _settings(request, feed_url=url)


@posts.post("/settings/import")
async def import_file(request: Request) -> Response:
    from followup.formats.stream import rereadable  # noqa: PLC0415

    form = await request.form()
    upload = form.get("file")
    deps = deps_of(request)
    try:
        if upload is None or isinstance(upload, str):
            raise InvalidFile("choose a followup/1 file to import", field="file")
        try:  # read as a stream from the upload's spooled file (formats.stream)
            opener = rereadable(upload.file)
            result, change = tracked(deps, lambda: interchange.import_file(deps, opener))
        except InvalidFile as e:
            raise InvalidFile(str(e), field="file") from None
        finally:
            await upload.close()  # its temporary file, now rather than at collection
    except FollowupError as e:
        return await _settings(request, {"import.file": str(e)}, code=422)
    message = (
        f"Imported: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged application(s)."
    )
    return await _settings(request, flash=Flash(message, change))


@pages.get("/settings/export")
async def export_file(request: Request) -> Response:
    import orjson  # noqa: PLC0415

    data = orjson.dumps(interchange.export_data(deps_of(request)), option=orjson.OPT_INDENT_2)
    return Response(
        data,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="followup.json"'},
    )
