"""An application's contacts."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.api.shapes import (
    DepsArg,
    _changed_application,
    _contact,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.applications import ApplicationChanged
from followup.entrypoints.web.schemas.common import ErrorOut
from followup.entrypoints.web.schemas.contacts import (
    ContactChanged,
    ContactIn,
    ContactNew,
    ContactPatch,
)
from followup.entrypoints.web.security import require_csrf
from followup.services import (
    contacts,
    corrections,
)

write = APIRouter(
    prefix="/api", tags=["write"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)


def _contact_input(body: ContactIn | ContactPatch) -> contacts.ContactInput:
    return contacts.ContactInput(
        name=body.name,
        role=body.role,
        email=body.email,
        phone=body.phone,
        name_confirmed=body.name_confirmed,
        email_ok=body.email_ok if isinstance(body, ContactPatch) else None,
    )


#: A contact named as another of the application's: refused unless ``duplicate_ok``.
_DUPLICATE: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorOut, "description": "A contact of that name (its id in `existing`)"}
}


@write.post(
    "/applications/{app_id}/contacts",
    response_model=ContactChanged,
    status_code=201,
    responses=_DUPLICATE,
)
async def add_contact(deps: DepsArg, app_id: str, body: ContactNew) -> ContactChanged:
    (contact, _), change = tracked(
        deps,
        lambda: contacts.add_contact(
            deps,
            app_id,
            _contact_input(body),
            contact_id=body.id,
            duplicate_ok=body.duplicate_ok,
        ),
    )
    return ContactChanged(**dict(_contact(contact)), change=change)


@write.patch(
    "/applications/{app_id}/contacts/{contact_id}",
    response_model=ContactChanged,
    responses=_DUPLICATE,
)
async def edit_contact(
    deps: DepsArg, app_id: str, contact_id: str, body: ContactPatch
) -> ContactChanged:
    (contact, _), change = tracked(
        deps,
        lambda: contacts.edit_contact(
            deps, app_id, contact_id, _contact_input(body), duplicate_ok=body.duplicate_ok
        ),
    )
    return ContactChanged(**dict(_contact(contact)), change=change)


@write.delete(
    "/applications/{app_id}/contacts/{contact_id}",
    response_model=ApplicationChanged,
    summary="Delete a contact (refused while an interview or a touch names it)",
)
async def delete_contact(deps: DepsArg, app_id: str, contact_id: str) -> ApplicationChanged:
    return _changed_application(deps, lambda: corrections.delete_contact(deps, app_id, contact_id))
