"""The planned actions: one explained, its draft, done or dismissed."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _actions,
    _changed_application,
    _today,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.actions import DoneChanged, DoneIn, DraftOut, ExplainOut
from followup.entrypoints.web.schemas.applications import ApplicationChanged
from followup.entrypoints.web.security import require_csrf
from followup.formats.draft import draft_json
from followup.formats.plan import explain_json
from followup.services import (
    completion,
    drafts,
)

read = APIRouter(prefix="/api", tags=["read"], responses=ERRORS)
write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


@read.get("/actions/{action_id}", response_model=ExplainOut, summary="An action and its steps")
async def explain(deps: DepsArg, action_id: str) -> ExplainOut:
    action = completion.find_action(deps, action_id, deps.clock.now())
    return ExplainOut.model_validate(explain_json(action))


@read.get("/actions/{action_id}/draft", response_model=DraftOut, summary="The email to send")
async def draft(deps: DepsArg, action_id: str) -> DraftOut:
    action, email = drafts.email(deps, action_id, deps.clock.now())
    return DraftOut.model_validate(draft_json(action.id, email))


@write.post("/actions/{action_id}/done", response_model=DoneChanged)
async def done(deps: DepsArg, action_id: str, body: DoneIn) -> DoneChanged:
    completed, change = tracked(
        deps,
        lambda: completion.complete(
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
        warnings=completed.logged.warnings if completed.logged is not None else [],
        change=change,
    )


@write.post("/actions/{action_id}/dismiss", response_model=ApplicationChanged)
async def dismiss(deps: DepsArg, action_id: str) -> ApplicationChanged:
    return _changed_application(deps, lambda: completion.dismiss(deps, action_id))
