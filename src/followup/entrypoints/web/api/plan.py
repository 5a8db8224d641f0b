"""The CSRF token and the plan."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _actions,
)
from followup.entrypoints.web.schemas.actions import PlanOut
from followup.entrypoints.web.schemas.common import CsrfOut
from followup.entrypoints.web.security import csrf_token
from followup.errors import (
    InvalidInput,
)
from followup.services.session import reading

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)


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
