"""A company seen whole."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _actions,
    _contact,
    _today,
    _touch,
)
from followup.entrypoints.web.schemas.companies import CompanyOut
from followup.services import (
    companies,
)

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)


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
