"""The JSON API under ``/api``: the command line's use cases for programs.

Every route that changes something needs the CSRF token in ``X-CSRF-Token`` (``GET
/api/csrf`` gives it, with its cookie); errors are ``{"error": ..., "field": ...}`` with
404 (unknown id), 400 (invalid value), 409 (refused) or 503 (database busy).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from followup.domain.model import WEEKDAYS, Action, Application, ContactWindow, Interview, Status
from followup.entrypoints.web.schemas import (
    ActionOut,
    ApplicationIn,
    ApplicationOut,
    ContactIn,
    ContactOut,
    ContactPatch,
    CsrfOut,
    DebriefIn,
    DoneIn,
    DoneOut,
    DraftOut,
    ErrorOut,
    ExplainOut,
    ImportOut,
    InterviewIn,
    InterviewOut,
    ListedOut,
    LoggedOut,
    PageOut,
    PlanOut,
    SettingsIn,
    SettingsOut,
    SnoozeIn,
    StatusIn,
    TouchIn,
    VacanciesIn,
    WindowModel,
)
from followup.entrypoints.web.security import csrf_token, require_csrf
from followup.errors import (
    DatabaseBusy,
    FollowupError,
    InvalidFile,
    InvalidInput,
    NotFound,
    Refused,
)
from followup.formats.interchange import application_to_json
from followup.formats.plan import public, window_to_json
from followup.services import (
    drafts,
    interchange,
    listing,
    records,
    touches,
)
from followup.services import settings as settings_service
from followup.services.session import Deps, reading

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "An invalid value"},
    403: {"description": "Missing or wrong CSRF token"},
    404: {"model": ErrorOut, "description": "An unknown id"},
    409: {"model": ErrorOut, "description": "Refused (a duplicate id, an action that cannot be)"},
}
STATUS_OF: list[tuple[type[FollowupError], int]] = [
    (NotFound, 404),
    (InvalidInput, 400),
    (InvalidFile, 400),
    (Refused, 409),
    (DatabaseBusy, 503),
]

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


def install(app: FastAPI) -> None:
    app.include_router(read)
    app.include_router(write)


def error_response(exc: FollowupError) -> JSONResponse:
    status = next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 500)
    return JSONResponse({"error": str(exc), "field": exc.field}, status_code=status)


def deps_of(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


DepsArg = Annotated[Deps, Depends(deps_of)]


def _actions(actions: list[Action], today: Any) -> list[ActionOut]:
    return [ActionOut.model_validate(public(a, today)) for a in actions]


def _application(app: Application, actions: list[Action], deps: Deps) -> ApplicationOut:
    data = application_to_json(app)
    data["actions"] = _actions(actions, _today(deps))
    return ApplicationOut.model_validate(data)


def _today(deps: Deps) -> Any:
    with reading(deps) as plan:
        return plan.today


def _window(model: WindowModel | None) -> ContactWindow | None:
    if model is None:
        return None
    start = time.fromisoformat(model.start) if model.start else None
    end = time.fromisoformat(model.end) if model.end else None
    if (start is None) != (end is None):
        raise InvalidInput(
            "give both start and end of the window, or neither", field="contact_window"
        )
    if start is not None and end is not None and start >= end:
        raise InvalidInput("the window must end after it starts", field="contact_window")
    return ContactWindow(frozenset(WEEKDAYS.index(d) for d in model.days), start, end)


def _window_out(window: ContactWindow | None) -> dict[str, Any] | None:
    return window_to_json(window) if window is not None else None


def _interview(iv: Interview) -> InterviewOut:
    return InterviewOut.model_validate(
        {
            "id": iv.id,
            "at": iv.at,
            "interviewers": list(iv.interviewers),
            "contacts_every_applicant": iv.contacts_every_applicant,
            "direct_contact_ok": iv.direct_contact_ok,
            "contact_window": _window_out(iv.contact_window),
            "answer_by": iv.answer_by,
        }
    )


# --- reading -------------------------------------------------------------------------------


@read.get("/csrf", response_model=CsrfOut, summary="The CSRF token (and its cookie)")
async def get_csrf(request: Request) -> CsrfOut:
    return CsrfOut(token=csrf_token(request))


@read.get("/plan", response_model=PlanOut, summary="The plan, as followup plan --json")
async def get_plan(
    deps: DepsArg,
    now: Annotated[datetime | None, Query(description="ISO 8601 with offset")] = None,
    horizon: Annotated[int, Query(ge=0, le=3660)] = 0,
) -> PlanOut:
    if now is not None and now.tzinfo is None:
        raise InvalidInput("now needs a UTC offset", field="now")
    with reading(deps, now) as plan:
        view = plan.view(horizon)
    return PlanOut(now=view.now, today=view.today, actions=_actions(view.actions, view.today))


@read.get("/applications", response_model=PageOut, summary="A page of applications")
async def list_applications(
    deps: DepsArg,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Status | None = None,
    sort: Annotated[str, Query(pattern=r"^-?(company|position|status|applied)$")] = "-applied",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> PageOut:
    found = listing.search(deps, q, status, sort, page)
    with reading(deps) as plan:
        today = plan.today
    return PageOut(
        applications=[
            ListedOut(
                id=r.id,
                company=r.company,
                position=r.position,
                status=r.status,
                applied_on=r.applied_on,
                next_action=_actions([r.next_action], today)[0] if r.next_action else None,
            )
            for r in found.rows
        ],
        total=found.total,
        page=found.page,
        pages=found.pages,
    )


@read.get("/applications/{app_id}", response_model=ApplicationOut)
async def get_application(deps: DepsArg, app_id: str) -> ApplicationOut:
    saved = records.get_application(deps, app_id, deps.clock.now())
    return _application(saved.application, saved.actions, deps)


@read.get("/actions/{action_id}", response_model=ExplainOut, summary="An action and its steps")
async def explain(deps: DepsArg, action_id: str) -> ExplainOut:
    action = touches.find_action(deps, action_id, deps.clock.now())
    return ExplainOut.model_validate(
        {
            "id": action.id,
            "kind": action.kind,
            "due": action.due,
            "rule": action.rule,
            "reason": action.reason,
            "steps": [{"rule": s.rule, "step": s.text, "date": s.day} for s in action.steps],
        }
    )


@read.get("/actions/{action_id}/draft", response_model=DraftOut, summary="The email to send")
async def draft(request: Request, deps: DepsArg, action_id: str) -> DraftOut:
    from followup.adapters.templates import TemplateDrafts  # noqa: PLC0415

    action, data = drafts.email_draft(deps, action_id, deps.clock.now())
    email = TemplateDrafts(request.app.state.config_dir).render(data)
    return DraftOut.model_validate(
        {
            "action": action.id,
            "to": {"name": email.to_name, "email": email.to_email},
            "subject": email.subject,
            "body": email.body,
        }
    )


@read.get("/settings", response_model=SettingsOut)
async def get_settings(deps: DepsArg) -> SettingsOut:
    s = settings_service.show(deps)
    return SettingsOut(
        timezone=s.timezone, country=s.country, name=s.name, policy=s.policy.as_dict()
    )


@read.get("/export", summary="Everything, as a followup/1 file (FORMAT.md)")
async def export(deps: DepsArg) -> dict[str, Any]:
    return interchange.export_data(deps)


# --- writing -------------------------------------------------------------------------------


@write.post("/applications", response_model=ApplicationOut, status_code=201)
async def add_application(deps: DepsArg, body: ApplicationIn) -> ApplicationOut:
    saved = records.add_application(
        deps,
        body.company,
        body.position,
        applied_on=body.applied_on,
        link=body.link,
        source=body.source,
        notes=body.notes,
        app_id=body.id,
    )
    return _application(saved.application, saved.actions, deps)


@write.post("/applications/{app_id}/status", response_model=ApplicationOut)
async def set_status(deps: DepsArg, app_id: str, body: StatusIn) -> ApplicationOut:
    saved = records.set_status(deps, app_id, body.status)
    return _application(saved.application, saved.actions, deps)


@write.post("/applications/{app_id}/snooze", response_model=ApplicationOut)
async def snooze(deps: DepsArg, app_id: str, body: SnoozeIn) -> ApplicationOut:
    saved = records.snooze(deps, app_id, body.until)
    return _application(saved.application, saved.actions, deps)


def _contact_input(body: ContactIn | ContactPatch) -> records.ContactInput:
    return records.ContactInput(
        name=body.name,
        role=body.role,
        email=body.email,
        phone=body.phone,
        name_confirmed=body.name_confirmed,
        email_ok=body.email_ok if isinstance(body, ContactPatch) else None,
    )


@write.post("/applications/{app_id}/contacts", response_model=ContactOut, status_code=201)
async def add_contact(deps: DepsArg, app_id: str, body: ContactIn) -> ContactOut:
    contact, _ = records.add_contact(deps, app_id, _contact_input(body), contact_id=body.id)
    return ContactOut.model_validate(contact, from_attributes=True)


@write.patch("/applications/{app_id}/contacts/{contact_id}", response_model=ContactOut)
async def edit_contact(
    deps: DepsArg, app_id: str, contact_id: str, body: ContactPatch
) -> ContactOut:
    contact, _ = records.edit_contact(deps, app_id, contact_id, _contact_input(body))
    return ContactOut.model_validate(contact, from_attributes=True)


@write.post("/applications/{app_id}/interviews", response_model=InterviewOut, status_code=201)
async def add_interview(deps: DepsArg, app_id: str, body: InterviewIn) -> InterviewOut:
    iv, _ = records.record_interview(
        deps,
        app_id,
        records.InterviewInput(
            at=body.at,
            interviewers=tuple(body.interviewers),
            contacts_every_applicant=body.contacts_every_applicant,
            direct_contact_ok=body.direct_contact_ok,
            contact_window=_window(body.contact_window),
            answer_by=body.answer_by,
        ),
        interview_id=body.id,
    )
    return _interview(iv)


@write.post("/applications/{app_id}/debrief", response_model=InterviewOut)
async def debrief(deps: DepsArg, app_id: str, body: DebriefIn) -> InterviewOut:
    iv, _ = records.debrief(
        deps,
        app_id,
        body.interview,
        records.Debrief(
            contacts_every_applicant=body.contacts_every_applicant,
            direct_contact_ok=body.direct_contact_ok,
            contact_window=_window(body.contact_window),
            answer_by=body.answer_by,
            contacts=tuple(
                (cid, records.ContactInput(name_confirmed=True)) for cid in body.confirm
            ),
            new_interviewers=tuple(_contact_input(c) for c in body.new_interviewers),
        ),
    )
    return _interview(iv)


@write.post("/applications/{app_id}/touches", response_model=LoggedOut, status_code=201)
async def log_touch(deps: DepsArg, app_id: str, body: TouchIn) -> LoggedOut:
    logged = touches.log_touch(
        deps,
        app_id,
        touches.TouchInput(
            outcome=body.outcome,
            purpose=body.purpose,
            channel=body.channel,
            contact=body.contact,
            at=body.at,
            decision=body.decision,
            decision_by=body.decision_by,
            vacancies=body.vacancies,
        ),
    )
    return LoggedOut.model_validate(
        {
            "touch": logged.touch,
            "application": logged.application.id,
            "status": logged.application.status,
            "warnings": logged.warnings,
            "vacancies": logged.vacancies,
            "actions": _actions(logged.actions, _today(deps)),
        },
        from_attributes=True,
    )


@write.post(
    "/applications/{app_id}/vacancies",
    response_model=list[ApplicationOut],
    status_code=201,
    summary="Turn vacancies heard of into applications (R16)",
)
async def add_vacancies(deps: DepsArg, app_id: str, body: VacanciesIn) -> list[ApplicationOut]:
    created = touches.add_vacancies(deps, app_id, list(body.titles))
    return [_application(app, [], deps) for app in created]


@write.post("/actions/{action_id}/done", response_model=DoneOut)
async def done(deps: DepsArg, action_id: str, body: DoneIn) -> DoneOut:
    completed = touches.complete(
        deps,
        action_id,
        outcome=body.outcome,
        decision=body.decision,
        decision_by=body.decision_by,
        vacancies=body.vacancies,
        at=body.at,
    )
    return DoneOut(
        action=completed.action.id,
        application=completed.application.id,
        status=completed.application.status,
        message=completed.message,
        actions=_actions(completed.actions, _today(deps)),
    )


@write.post("/actions/{action_id}/dismiss", response_model=ApplicationOut)
async def dismiss(deps: DepsArg, action_id: str) -> ApplicationOut:
    saved = touches.dismiss(deps, action_id)
    return _application(saved.application, saved.actions, deps)


@write.put("/settings", response_model=SettingsOut)
async def put_settings(deps: DepsArg, body: SettingsIn) -> SettingsOut:
    changes = {k: str(v) for k, v in body.policy.items()}
    if body.timezone is not None:
        changes["timezone"] = body.timezone
    if body.country is not None:
        changes["country"] = body.country
    if body.name is not None:
        changes["name"] = body.name
    s = settings_service.update(deps, changes)
    return SettingsOut(
        timezone=s.timezone, country=s.country, name=s.name, policy=s.policy.as_dict()
    )


@write.post("/import", response_model=ImportOut, summary="Import a followup/1 document")
async def import_document(
    deps: DepsArg, document: Annotated[dict[str, Any], Body(description="followup/1")]
) -> ImportOut:
    result = interchange.import_data(deps, document)
    return ImportOut(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        settings_changed=result.settings_changed,
    )
