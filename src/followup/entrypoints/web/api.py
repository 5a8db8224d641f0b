"""The JSON API under ``/api``: the command line's use cases for programs.

Every route that changes something needs the CSRF token in ``X-CSRF-Token`` (``GET
/api/csrf`` gives it, with its cookie); errors are ``{"error": ..., "field": ...}`` with
404 (unknown id), 400 (invalid value), 409 (refused; a duplicate application also names
the ``existing`` one) or 503 (database busy); a body that does not fit the schema is 422.
Every change answers with ``change``, the history entry it wrote, for ``POST /api/undo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from followup.domain.history import SETTINGS, Entry
from followup.domain.model import (
    WEEKDAYS,
    Action,
    Application,
    Contact,
    ContactWindow,
    Interview,
    InvalidWindow,
    Status,
    Touch,
)
from followup.entrypoints.web.changes import MAX_ID, tracked
from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.schemas import (
    ActionOut,
    ApplicationChanged,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    CompanyOut,
    ContactChanged,
    ContactIn,
    ContactOut,
    ContactPatch,
    CsrfOut,
    DebriefIn,
    DeletedOut,
    DoneChanged,
    DoneIn,
    DraftOut,
    EntryOut,
    ErrorOut,
    ExplainOut,
    HistoryOut,
    ImportChanged,
    InterviewChanged,
    InterviewIn,
    InterviewOut,
    InterviewPatch,
    ListedOut,
    LoggedChanged,
    PageOut,
    PlanOut,
    RevisionOut,
    SettingsChanged,
    SettingsIn,
    SettingsOut,
    SnoozeIn,
    StatusIn,
    TouchIn,
    TouchOut,
    TouchPatch,
    UndoIn,
    UndoneOut,
    VacanciesIn,
    WindowModel,
)
from followup.entrypoints.web.security import csrf_token, require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import (
    DatabaseBusy,
    Duplicate,
    FollowupError,
    InvalidFile,
    InvalidInput,
    NotFound,
    Refused,
)
from followup.formats.draft import draft_json
from followup.formats.interchange import application_to_json
from followup.formats.interview import interview_json
from followup.formats.plan import explain_json, public, window_to_json
from followup.services import (
    applications,
    companies,
    contacts,
    corrections,
    drafts,
    history,
    interchange,
    interviews,
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
    body: dict[str, Any] = {"error": worded(exc), "field": exc.field}
    if isinstance(exc, Duplicate):
        body["existing"] = exc.existing
    return JSONResponse(body, status_code=status)


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
    try:
        return ContactWindow(frozenset(WEEKDAYS.index(d) for d in model.days), start, end)
    except InvalidWindow as e:
        if e.problem == InvalidWindow.ORDER:
            raise InvalidInput(
                "the window must end after it starts", field="contact_window"
            ) from None
        raise InvalidInput(
            "give both start and end of the window, or neither", field="contact_window"
        ) from None


def _window_out(window: ContactWindow | None) -> dict[str, Any] | None:
    return window_to_json(window) if window is not None else None


def _interview(iv: Interview) -> InterviewOut:
    # In UTC, as stored, whatever offset it was given with.
    return InterviewOut.model_validate(interview_json(replace(iv, at=iv.at.astimezone(UTC))))


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
    saved = applications.get_application(deps, app_id, deps.clock.now())
    return _application(saved.application, saved.actions, deps)


@read.get("/actions/{action_id}", response_model=ExplainOut, summary="An action and its steps")
async def explain(deps: DepsArg, action_id: str) -> ExplainOut:
    action = touches.find_action(deps, action_id, deps.clock.now())
    return ExplainOut.model_validate(explain_json(action))


@read.get("/actions/{action_id}/draft", response_model=DraftOut, summary="The email to send")
async def draft(deps: DepsArg, action_id: str) -> DraftOut:
    action, email = drafts.email(deps, action_id, deps.clock.now())
    return DraftOut.model_validate(draft_json(action.id, email))


@read.get("/settings", response_model=SettingsOut)
async def get_settings(deps: DepsArg) -> SettingsOut:
    s = settings_service.show(deps)
    return SettingsOut(
        timezone=s.timezone, country=s.country, name=s.name, policy=s.policy.as_dict()
    )


@read.get("/export", summary="Everything, as a followup/1 file (FORMAT.md)")
async def export(deps: DepsArg) -> dict[str, Any]:
    return interchange.export_data(deps)


@read.get("/history", response_model=HistoryOut, summary="The changes, newest first")
async def get_history(
    deps: DepsArg,
    limit: Annotated[int, Query(ge=1, le=500)] = history.PAGE,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Entries older than this id")
    ] = None,
) -> HistoryOut:
    found = history.entries(deps, limit, before)
    return HistoryOut(
        entries=[_entry(e) for e in found],
        before=found[-1].id if len(found) == limit and found[-1].id > 1 else None,
    )


@read.get("/companies/{name}", response_model=CompanyOut, summary="A company seen whole (R10, R13)")
async def get_company(deps: DepsArg, name: Annotated[str, Path(max_length=200)]) -> CompanyOut:
    view = companies.company(deps, name, deps.clock.now())
    today = _today(deps)
    return CompanyOut.model_validate(
        {
            "name": view.name,
            "key": view.key,
            "applications": [
                {
                    "id": s.application.id,
                    "company": s.application.company,
                    "position": s.application.position,
                    "status": s.application.status,
                    "applied_on": s.application.applied_on,
                    "next_action": _actions(s.actions[:1], today)[0] if s.actions else None,
                }
                for s in view.applications
            ],
            "contacts": [
                {"application": app_id, "contact": _contact(c)} for app_id, c in view.contacts
            ],
            "touches": [{"application": app_id, "touch": _touch(t)} for app_id, t in view.touches],
            "last_attempt": view.last_attempt,
            "next_possible": view.next_possible,
            "planned": _actions(view.planned, today),
        }
    )


def _entry(entry: Entry) -> EntryOut:
    return EntryOut(
        id=entry.id,
        at=entry.at,
        summary=entry.summary,
        changes=[
            RevisionOut(record="settings" if r.key == SETTINGS else r.key, what=list(r.what))
            for r in entry.revisions
        ],
        undoes=entry.undoes,
        undone_by=entry.undone_by,
        undoable=entry.undoable,
    )


def _contact(contact: Contact) -> ContactOut:
    return ContactOut.model_validate(contact, from_attributes=True)


def _touch(touch: Touch) -> TouchOut:
    out = TouchOut.model_validate(touch, from_attributes=True)
    return out.model_copy(update={"at": touch.at.astimezone(UTC)})


# --- writing -------------------------------------------------------------------------------
#
# Each change answers with ``change``: the id of the history entry it wrote (POST /api/undo
# with {"entry": change} reverts it), or null when it changed nothing.


def _changed_application(deps: Deps, run: Callable[[], records.Saved]) -> ApplicationChanged:
    saved, change = tracked(deps, run)
    out = _application(saved.application, saved.actions, deps)
    return ApplicationChanged(**dict(out), change=change)


@write.post(
    "/applications",
    response_model=ApplicationChanged,
    status_code=201,
    responses={409: {"model": ErrorOut, "description": "A duplicate (its id in `existing`)"}},
)
async def add_application(deps: DepsArg, body: ApplicationIn) -> ApplicationChanged:
    return _changed_application(
        deps,
        lambda: applications.add_application(
            deps,
            body.company,
            body.position,
            applied_on=body.applied_on,
            link=body.link,
            source=body.source,
            notes=body.notes,
            app_id=body.id,
            posting=body.posting,
            duplicate_ok=body.duplicate_ok,
        ),
    )


def _given(body: BaseModel, name: str) -> Any:
    """A PATCH field: its value (``None`` clears it) or KEEP when the body leaves it out."""
    return getattr(body, name) if name in body.model_fields_set else corrections.KEEP


@write.patch("/applications/{app_id}", response_model=ApplicationChanged)
async def edit_application(
    deps: DepsArg, app_id: str, body: ApplicationPatch
) -> ApplicationChanged:
    edit = corrections.ApplicationEdit(
        **{name: _given(body, name) for name in ApplicationPatch.model_fields}
    )
    return _changed_application(deps, lambda: corrections.edit_application(deps, app_id, edit))


@write.delete("/applications/{app_id}", response_model=DeletedOut)
async def delete_application(deps: DepsArg, app_id: str) -> DeletedOut:
    app, change = tracked(deps, lambda: corrections.delete_application(deps, app_id))
    return DeletedOut(deleted=app.id, change=change)


@write.post("/applications/{app_id}/status", response_model=ApplicationChanged)
async def set_status(deps: DepsArg, app_id: str, body: StatusIn) -> ApplicationChanged:
    return _changed_application(deps, lambda: applications.set_status(deps, app_id, body.status))


@write.post("/applications/{app_id}/snooze", response_model=ApplicationChanged)
async def snooze(deps: DepsArg, app_id: str, body: SnoozeIn) -> ApplicationChanged:
    return _changed_application(deps, lambda: applications.snooze(deps, app_id, body.until))


def _contact_input(body: ContactIn | ContactPatch) -> contacts.ContactInput:
    return contacts.ContactInput(
        name=body.name,
        role=body.role,
        email=body.email,
        phone=body.phone,
        name_confirmed=body.name_confirmed,
        email_ok=body.email_ok if isinstance(body, ContactPatch) else None,
    )


@write.post("/applications/{app_id}/contacts", response_model=ContactChanged, status_code=201)
async def add_contact(deps: DepsArg, app_id: str, body: ContactIn) -> ContactChanged:
    (contact, _), change = tracked(
        deps,
        lambda: contacts.add_contact(deps, app_id, _contact_input(body), contact_id=body.id),
    )
    return ContactChanged(**dict(_contact(contact)), change=change)


@write.patch("/applications/{app_id}/contacts/{contact_id}", response_model=ContactChanged)
async def edit_contact(
    deps: DepsArg, app_id: str, contact_id: str, body: ContactPatch
) -> ContactChanged:
    (contact, _), change = tracked(
        deps, lambda: contacts.edit_contact(deps, app_id, contact_id, _contact_input(body))
    )
    return ContactChanged(**dict(_contact(contact)), change=change)


@write.delete(
    "/applications/{app_id}/contacts/{contact_id}",
    response_model=ApplicationChanged,
    summary="Delete a contact (refused while an interview or a touch names it)",
)
async def delete_contact(deps: DepsArg, app_id: str, contact_id: str) -> ApplicationChanged:
    return _changed_application(deps, lambda: corrections.delete_contact(deps, app_id, contact_id))


@write.post("/applications/{app_id}/interviews", response_model=InterviewChanged, status_code=201)
async def add_interview(deps: DepsArg, app_id: str, body: InterviewIn) -> InterviewChanged:
    (iv, _), change = tracked(
        deps,
        lambda: interviews.record_interview(
            deps,
            app_id,
            interviews.InterviewInput(
                at=body.at,
                interviewers=tuple(body.interviewers),
                contacts_every_applicant=body.contacts_every_applicant,
                direct_contact_ok=body.direct_contact_ok,
                contact_window=_window(body.contact_window),
                answer_by=body.answer_by,
            ),
            interview_id=body.id,
        ),
    )
    return InterviewChanged(**dict(_interview(iv)), change=change)


@write.patch(
    "/applications/{app_id}/interviews/{interview_id}",
    response_model=InterviewChanged,
    summary="Reschedule, cancel or correct an interview",
)
async def edit_interview(
    deps: DepsArg, app_id: str, interview_id: str, body: InterviewPatch
) -> InterviewChanged:
    fields = {name: _given(body, name) for name in InterviewPatch.model_fields}
    if fields["at"] is None:
        raise InvalidInput("an interview needs its date and time", field="at")
    if fields["cancelled"] is None:
        fields["cancelled"] = False
    if fields["interviewers"] is None:
        fields["interviewers"] = ()
    elif fields["interviewers"] is not corrections.KEEP:
        fields["interviewers"] = tuple(fields["interviewers"])
    if fields["contact_window"] is not corrections.KEEP:
        fields["contact_window"] = _window(body.contact_window)
    edit = corrections.InterviewEdit(**fields)
    (iv, _), change = tracked(
        deps, lambda: corrections.edit_interview(deps, app_id, interview_id, edit)
    )
    return InterviewChanged(**dict(_interview(iv)), change=change)


@write.delete("/applications/{app_id}/interviews/{interview_id}", response_model=ApplicationChanged)
async def delete_interview(deps: DepsArg, app_id: str, interview_id: str) -> ApplicationChanged:
    return _changed_application(
        deps, lambda: corrections.delete_interview(deps, app_id, interview_id)
    )


@write.post("/applications/{app_id}/debrief", response_model=InterviewChanged)
async def debrief(deps: DepsArg, app_id: str, body: DebriefIn) -> InterviewChanged:
    (iv, _), change = tracked(
        deps,
        lambda: interviews.debrief(
            deps,
            app_id,
            body.interview,
            interviews.Debrief(
                contacts_every_applicant=body.contacts_every_applicant,
                direct_contact_ok=body.direct_contact_ok,
                contact_window=_window(body.contact_window),
                answer_by=body.answer_by,
                contacts=tuple(
                    (cid, contacts.ContactInput(name_confirmed=True)) for cid in body.confirm
                ),
                new_interviewers=tuple(_contact_input(c) for c in body.new_interviewers),
            ),
        ),
    )
    return InterviewChanged(**dict(_interview(iv)), change=change)


@write.post("/applications/{app_id}/touches", response_model=LoggedChanged, status_code=201)
async def log_touch(deps: DepsArg, app_id: str, body: TouchIn) -> LoggedChanged:
    logged, change = tracked(
        deps,
        lambda: touches.log_touch(
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
                notes=body.notes,
                new_applications=tuple(body.new_applications),
            ),
        ),
    )
    return LoggedChanged.model_validate(
        {
            "touch": _touch(logged.touch),
            "application": logged.application.id,
            "status": logged.application.status,
            "warnings": logged.warnings,
            "vacancies": logged.vacancies,
            "actions": _actions(logged.actions, _today(deps)),
            "created": [app.id for app in logged.created],
            "change": change,
        }
    )


@write.patch(
    "/applications/{app_id}/touches/{touch_id}",
    response_model=ApplicationChanged,
    summary="Correct a touch (its outcome, time, contact, decision, notes...)",
)
async def edit_touch(
    deps: DepsArg, app_id: str, touch_id: str, body: TouchPatch
) -> ApplicationChanged:
    fields = {name: _given(body, name) for name in TouchPatch.model_fields}
    for required in ("at", "channel", "purpose", "outcome"):
        if fields[required] is None:
            raise InvalidInput(f"a touch needs its {required}", field=required)
    edit = corrections.TouchEdit(**fields)
    return _changed_application(
        deps, lambda: corrections.edit_touch(deps, app_id, touch_id, edit)[1]
    )


@write.delete("/applications/{app_id}/touches/{touch_id}", response_model=ApplicationChanged)
async def delete_touch(deps: DepsArg, app_id: str, touch_id: str) -> ApplicationChanged:
    return _changed_application(deps, lambda: corrections.delete_touch(deps, app_id, touch_id))


@write.post(
    "/applications/{app_id}/vacancies",
    response_model=list[ApplicationOut],
    status_code=201,
    summary="Turn vacancies heard of into applications (R16)",
)
async def add_vacancies(deps: DepsArg, app_id: str, body: VacanciesIn) -> list[ApplicationOut]:
    created = touches.add_vacancies(deps, app_id, list(body.titles))
    return [_application(app, [], deps) for app in created]


@write.post("/actions/{action_id}/done", response_model=DoneChanged)
async def done(deps: DepsArg, action_id: str, body: DoneIn) -> DoneChanged:
    completed, change = tracked(
        deps,
        lambda: touches.complete(
            deps,
            action_id,
            outcome=body.outcome,
            decision=body.decision,
            decision_by=body.decision_by,
            vacancies=body.vacancies,
            at=body.at,
        ),
    )
    return DoneChanged(
        action=completed.action.id,
        application=completed.application.id,
        status=completed.application.status,
        message=completed.message,
        actions=_actions(completed.actions, _today(deps)),
        change=change,
    )


@write.post("/actions/{action_id}/dismiss", response_model=ApplicationChanged)
async def dismiss(deps: DepsArg, action_id: str) -> ApplicationChanged:
    return _changed_application(deps, lambda: touches.dismiss(deps, action_id))


@write.post(
    "/undo",
    response_model=UndoneOut,
    summary="Undo the newest change (given `entry`, only if it is that change)",
)
async def undo(deps: DepsArg, body: Annotated[UndoIn | None, Body()] = None) -> UndoneOut:
    undone = history.undo(deps, body.entry if body else None)
    return UndoneOut(undone=_entry(_reread(deps, undone.entry.id)), change=undone.undo)


def _reread(deps: Deps, entry_id: int) -> Entry:
    """The entry as stored now (an undo marks what it undid)."""
    entry = history.entry(deps, entry_id)
    assert entry is not None
    return entry


@write.put("/settings", response_model=SettingsChanged)
async def put_settings(deps: DepsArg, body: SettingsIn) -> SettingsChanged:
    changes = {k: str(v) for k, v in body.policy.items()}
    if body.timezone is not None:
        changes["timezone"] = body.timezone
    if body.country is not None:
        changes["country"] = body.country
    if body.name is not None:
        changes["name"] = body.name
    s, change = tracked(deps, lambda: settings_service.update(deps, changes))
    return SettingsChanged(
        timezone=s.timezone,
        country=s.country,
        name=s.name,
        policy=s.policy.as_dict(),
        change=change,
    )


@write.post("/import", response_model=ImportChanged, summary="Import a followup/1 document")
async def import_document(
    deps: DepsArg, document: Annotated[dict[str, Any], Body(description="followup/1")]
) -> ImportChanged:
    result, change = tracked(deps, lambda: interchange.import_data(deps, document))
    return ImportChanged(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        settings_changed=result.settings_changed,
        change=change,
    )
