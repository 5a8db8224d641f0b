"""What the API's routes share: the services they get, and records turned into answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, time
from typing import Annotated, Any

from fastapi import Depends
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
    Touch,
)
from followup.entrypoints.web.changes import tracked
from followup.entrypoints.web.schemas.actions import ActionOut
from followup.entrypoints.web.schemas.applications import ApplicationChanged, ApplicationOut
from followup.entrypoints.web.schemas.contacts import ContactOut, WindowModel
from followup.entrypoints.web.schemas.history import EntryOut, RevisionOut
from followup.entrypoints.web.schemas.interviews import InterviewOut
from followup.entrypoints.web.schemas.touches import TouchOut
from followup.entrypoints.web.state import deps_arg
from followup.errors import (
    InvalidInput,
)
from followup.formats.interchange import application_to_json
from followup.formats.interview import interview_json
from followup.formats.plan import public, window_to_json
from followup.services import (
    corrections,
    records,
)
from followup.services.session import Deps, reading

DepsArg = Annotated[Deps, Depends(deps_arg)]


def _actions(actions: list[Action], today: Any) -> list[ActionOut]:
    return [ActionOut.model_validate(public(a, today)) for a in actions]


def _application(
    app: Application, actions: list[Action], deps: Deps, today: date | None = None
) -> ApplicationOut:
    """``today``: the seeker's day the actions were read on (else read here)."""
    data = application_to_json(app)
    data["actions"] = _actions(actions, today if today is not None else _today(deps))
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
    out = _application(saved.application, saved.actions, deps, saved.today)
    return ApplicationChanged(**dict(out), change=change)


def _given(body: BaseModel, name: str) -> Any:
    """A PATCH field: its value (``None`` clears it) or KEEP when the body leaves it out."""
    return getattr(body, name) if name in body.model_fields_set else corrections.KEEP
