"""Applications: a page of them, one, and the changes to one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from followup.domain.model import (
    Status,
)
from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _actions,
    _application,
    _changed_application,
    _given,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.applications import (
    ApplicationChanged,
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    ListedOut,
    PageOut,
    SnoozeIn,
    StatusIn,
)
from followup.entrypoints.web.schemas.common import DeletedOut, ErrorOut
from followup.entrypoints.web.security import require_csrf
from followup.services import (
    applications,
    corrections,
    listing,
)
from followup.services.session import reading

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


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
    return _application(saved.application, saved.actions, deps, saved.today)


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


@write.patch(
    "/applications/{app_id}",
    response_model=ApplicationChanged,
    responses={409: {"model": ErrorOut, "description": "A duplicate (its id in `existing`)"}},
)
async def edit_application(
    deps: DepsArg, app_id: str, body: ApplicationPatch
) -> ApplicationChanged:
    edit = corrections.ApplicationEdit(
        **{
            name: _given(body, name)
            for name in ApplicationPatch.model_fields
            if name != "duplicate_ok"
        }
    )
    return _changed_application(
        deps,
        lambda: corrections.edit_application(deps, app_id, edit, duplicate_ok=body.duplicate_ok),
    )


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
