"""The history of changes, and undoing the newest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from followup.domain.history import Entry
from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _entry,
)
from followup.entrypoints.web.changes import MAX_ID
from followup.entrypoints.web.schemas.history import (
    ForgetIn,
    ForgottenOut,
    HistoryOut,
    UndoIn,
    UndoneOut,
)
from followup.entrypoints.web.security import require_csrf
from followup.services import (
    history,
)
from followup.services.session import Deps

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


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


@write.post(
    "/undo",
    response_model=UndoneOut,
    summary="Undo the newest change (given `entry`, only if it is that change)",
)
async def undo(deps: DepsArg, body: Annotated[UndoIn | None, Body()] = None) -> UndoneOut:
    undone = history.undo(deps, body.entry if body else None)
    return UndoneOut(undone=_entry(_reread(deps, undone.entry.id)), change=undone.undo)


@write.post(
    "/history/forget",
    response_model=ForgottenOut,
    summary="Forget the changes made before a day (or all): they can no longer be undone",
)
async def forget(deps: DepsArg, body: ForgetIn) -> ForgottenOut:
    return ForgottenOut(forgotten=history.forget(deps, body.before))


def _reread(deps: Deps, entry_id: int) -> Entry:
    """The entry as stored now (an undo marks what it undid)."""
    entry = history.entry(deps, entry_id)
    assert entry is not None
    return entry
