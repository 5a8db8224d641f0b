"""Settings, and export and import of the whole record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.settings import (
    ImportChanged,
    SettingsChanged,
    SettingsIn,
    SettingsOut,
)
from followup.entrypoints.web.security import require_csrf
from followup.services import (
    interchange,
)
from followup.services import settings as settings_service

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
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
        settings=list(result.settings),
        change=change,
    )
