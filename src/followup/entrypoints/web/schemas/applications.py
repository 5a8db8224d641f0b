"""Applications: new, patched, read whole or listed."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from followup.domain.model import Status
from followup.entrypoints.web.schemas.actions import ActionOut
from followup.entrypoints.web.schemas.common import (
    Change,
    DuplicateOk,
    Id,
    Model,
    Name,
    Notes,
    Posting,
    Text,
    Warnings,
)
from followup.entrypoints.web.schemas.contacts import ContactOut
from followup.entrypoints.web.schemas.interviews import InterviewOut
from followup.entrypoints.web.schemas.touches import TouchOut


class ApplicationIn(Model):
    company: Name
    position: Name
    applied_on: date | None = None
    link: Text | None = None
    source: Text | None = None
    notes: Notes | None = None
    posting: Posting | None = None
    id: Id | None = None
    duplicate_ok: bool = Field(
        default=False, description="Add it even if the company already has this position"
    )


class ApplicationPatch(Model):
    """Only the fields given change; ``null`` clears an optional one. A company and
    position another application has already are refused (409) unless ``duplicate_ok``."""

    company: Name | None = None
    position: Name | None = None
    applied_on: date | None = None
    link: Text | None = None
    source: Text | None = None
    notes: Notes | None = None
    posting: Posting | None = None
    duplicate_ok: DuplicateOk = False


class ApplicationOut(Model):
    id: str
    company: str
    position: str
    status: Status
    applied_on: date | None
    recorded_on: date | None
    link: str | None
    source: str | None
    notes: str | None
    posting: str | None = None
    contacts: list[ContactOut]
    interviews: list[InterviewOut]
    touches: list[TouchOut]
    snoozed_until: date | None
    dismissed: list[str]
    actions: list[ActionOut]


class ListedOut(Model):
    id: str
    company: str
    position: str
    status: Status
    applied_on: date | None
    next_action: ActionOut | None


class PageOut(Model):
    applications: list[ListedOut]
    total: int
    page: int
    pages: int


class StatusIn(Model):
    status: Status


class SnoozeIn(Model):
    until: date | None


class ApplicationChanged(ApplicationOut):
    change: Change


class TouchCorrected(ApplicationChanged):
    """A corrected touch's application, with R13's (or R7's) warning when the touch now
    breaks it, as a logged one is answered."""

    warnings: Warnings = []
