"""An application's interviews and their debriefs."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from followup.entrypoints.web.api.contacts import _contact_input
from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _changed_application,
    _given,
    _interview,
    _window,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.applications import ApplicationChanged
from followup.entrypoints.web.schemas.interviews import (
    DebriefIn,
    InterviewChanged,
    InterviewIn,
    InterviewPatch,
)
from followup.entrypoints.web.security import require_csrf
from followup.errors import (
    InvalidInput,
)
from followup.services import (
    contacts,
    corrections,
    interviews,
)

write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


@write.post("/applications/{app_id}/interviews", response_model=InterviewChanged, status_code=201)
async def add_interview(deps: DepsArg, app_id: str, body: InterviewIn) -> InterviewChanged:
    (iv, saved), change = tracked(
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
    return InterviewChanged(**dict(_interview(iv)), change=change, warnings=list(saved.warnings))


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
    (iv, saved), change = tracked(
        deps, lambda: corrections.edit_interview(deps, app_id, interview_id, edit)
    )
    return InterviewChanged(**dict(_interview(iv)), change=change, warnings=list(saved.warnings))


@write.delete("/applications/{app_id}/interviews/{interview_id}", response_model=ApplicationChanged)
async def delete_interview(deps: DepsArg, app_id: str, interview_id: str) -> ApplicationChanged:
    return _changed_application(
        deps, lambda: corrections.delete_interview(deps, app_id, interview_id)
    )


@write.post("/applications/{app_id}/debrief", response_model=InterviewChanged)
async def debrief(deps: DepsArg, app_id: str, body: DebriefIn) -> InterviewChanged:
    (iv, saved), change = tracked(
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
    return InterviewChanged(**dict(_interview(iv)), change=change, warnings=list(saved.warnings))
