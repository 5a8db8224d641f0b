"""One application: its page and the forms that add to it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from followup.domain.model import (
    Application,
    Channel,
    Decision,
    Outcome,
    Purpose,
    Role,
    Status,
)
from followup.entrypoints.presenting import local_time, timeline
from followup.entrypoints.web.changes import tracked, with_flash
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
    typed,
    window,
    yes_no,
)
from followup.entrypoints.web.pages.cards import Notice, cards
from followup.entrypoints.web.rendering import cached, render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import Duplicate, InvalidInput
from followup.services import (
    applications,
    companies,
    contacts,
    interviews,
    touches,
)
from followup.services.records import Saved
from followup.services.session import Deps, reading

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


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
    confirm: Confirm | None = None,
) -> Response:
    deps = deps_of(request)
    now = deps.clock.now()
    saved = applications.get_application(deps, app_id, now)
    app = saved.application
    with reading(deps, now) as plan:
        tz = plan.settings.tz
    vacancies = companies.vacancies(deps, app)
    # No debrief for an interview that will not happen (all of them cancelled: none at all).
    debrief = interviews.last_interview(app, now) if app.held_interviews else None
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
            "confirm": confirm,
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
    Undo button, and the warnings of a touch that broke R13 or R7), else the page again
    with the message beside the field."""

    def run(form: FormData, deps: Deps) -> Response:
        done, change = tracked(deps, lambda: handle(form, deps))
        warned = _warnings(done)
        return with_flash(back(form, f"/applications/{quote(app_id)}"), change, warned, request)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _application(request, app_id, errors, values, code=422)

    try:
        return await submit(request, form_name, run, again, passes=(Duplicate,))
    except Duplicate as e:
        # As the Applications page's add: the form again, and a step that saves it anyway.
        form = await request.form()
        carried = [
            (k, v)
            for k, v in form.multi_items()
            if isinstance(v, str) and k not in ("csrf_token", "duplicate_ok")
        ]
        existing = (  # a contact's form names a contact of this application
            f"/applications/{quote(app_id)}#contact-{quote(e.existing)}"
            if form_name.startswith("contact")
            else f"/applications/{quote(e.existing)}"
        )
        confirm = Confirm(str(e), existing, quote(request.url.path), carried)
        errors = form_errors(e, form_name)
        return await _application(
            request, app_id, errors, typed(form, form_name), code=409, confirm=confirm
        )


@dataclass(frozen=True, slots=True)
class Confirm:
    """A change that would make a record like one already there (:class:`Duplicate`):
    what it is like, where that one is, and the form's fields to send again, with
    ``duplicate_ok``, from a "save anyway" button (no JavaScript needed)."""

    message: str
    existing: str
    action: str
    fields: list[tuple[str, str]]


def _warnings(done: object) -> Sequence[str]:
    """What a form's change was allowed to break (R13, R7, R11), from what it returned."""
    if isinstance(done, tuple):
        done = next((part for part in done if isinstance(part, Saved)), None)
    if isinstance(done, (touches.Logged, Saved)):
        return done.warnings
    return ()


@posts.post("/applications/{app_id}/status")
async def set_status(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        status = choice(form, "status", Status)
        if status is None:
            raise InvalidInput("choose a status", field="status")
        applications.set_status(deps, app_id, status)

    return await _on_application(request, app_id, "status", handle)


@posts.post("/applications/{app_id}/snooze")
async def snooze(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        applications.snooze(deps, app_id, day(form, "until", today_of(deps)))

    return await _on_application(request, app_id, "snooze", handle)


@posts.post("/applications/{app_id}/contacts")
async def add_contact(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        contacts.add_contact(
            deps,
            app_id,
            contacts.ContactInput(
                name=text(form, "name"),
                role=choice(form, "role", Role),
                email=text(form, "email"),
                phone=text(form, "phone"),
                name_confirmed=text(form, "name_confirmed") == "yes",
            ),
            duplicate_ok=text(form, "duplicate_ok") == "yes",
        )

    return await _on_application(request, app_id, "contact", handle)


@posts.post("/applications/{app_id}/contacts/{contact_id}")
async def edit_contact(request: Request, app_id: str, contact_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> None:
        confirmed = text(form, "name_confirmed")
        contacts.edit_contact(
            deps,
            app_id,
            contact_id,
            contacts.ContactInput(
                name=text(form, "name"),
                email=raw(form, "email"),
                phone=raw(form, "phone"),
                name_confirmed=None if confirmed is None else confirmed == "yes",
                email_ok=text(form, "email_ok") == "yes" or None,
            ),
            duplicate_ok=text(form, "duplicate_ok") == "yes",
        )

    return await _on_application(request, app_id, f"contact-{contact_id}", handle)


@posts.post("/applications/{app_id}/interviews")
async def add_interview(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> object:
        at = moment(form, "at", deps)
        if at is None:
            raise InvalidInput("give the date and time of the interview", field="at")
        return interviews.record_interview(
            deps,
            app_id,
            interviews.InterviewInput(
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
    def handle(form: FormData, deps: Deps) -> object:
        confirmed = tuple(v for v in form.getlist("confirm") if isinstance(v, str))
        new = []
        if name := text(form, "new_name"):
            new.append(
                contacts.ContactInput(
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
                details.append((cid, contacts.ContactInput(email=value)))
            elif kind == "phone":
                details.append((cid, contacts.ContactInput(phone=value)))
        return interviews.debrief(
            deps,
            app_id,
            text(form, "interview"),
            interviews.Debrief(
                contacts_every_applicant=yes_no(form, "contacts_every_applicant"),
                direct_contact_ok=yes_no(form, "direct_contact_ok"),
                contact_window=window(form, "contact_window"),
                answer_by=day(form, "answer_by", today_of(deps)),
                contacts=(
                    *((cid, contacts.ContactInput(name_confirmed=True)) for cid in confirmed),
                    *details,
                ),
                new_interviewers=tuple(new),
            ),
        )

    return await _on_application(request, app_id, "debrief", handle)


@posts.post("/applications/{app_id}/touches")
async def log_touch(request: Request, app_id: str) -> Response:
    def handle(form: FormData, deps: Deps) -> touches.Logged:
        outcome = choice(form, "outcome", Outcome)
        if outcome is None:
            raise InvalidInput("choose what happened", field="outcome")
        return touches.log_touch(
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
