"""An application's touches, and the vacancies heard of in them."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _actions,
    _application,
    _changed_application,
    _given,
    _today,
    _touch,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.applications import (
    ApplicationChanged,
    ApplicationOut,
    TouchCorrected,
)
from followup.entrypoints.web.schemas.touches import LoggedChanged, TouchIn, TouchPatch, VacanciesIn
from followup.entrypoints.web.security import require_csrf
from followup.errors import (
    InvalidInput,
)
from followup.services import (
    corrections,
    touches,
)

write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


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
    response_model=TouchCorrected,
    summary="Correct a touch (its outcome, time, contact, decision, notes...)",
)
async def edit_touch(deps: DepsArg, app_id: str, touch_id: str, body: TouchPatch) -> TouchCorrected:
    fields = {name: _given(body, name) for name in TouchPatch.model_fields}
    for required in ("at", "channel", "purpose", "outcome"):
        if fields[required] is None:
            raise InvalidInput(f"a touch needs its {required}", field=required)
    edit = corrections.TouchEdit(**fields)
    saved, change = tracked(deps, lambda: corrections.edit_touch(deps, app_id, touch_id, edit)[1])
    out = _application(saved.application, saved.actions, deps, saved.today)
    return TouchCorrected(**dict(out), change=change, warnings=list(saved.warnings))


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
