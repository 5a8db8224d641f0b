"""A company seen whole."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from followup.entrypoints.web.schemas.actions import ActionOut
from followup.entrypoints.web.schemas.applications import ListedOut
from followup.entrypoints.web.schemas.common import Model
from followup.entrypoints.web.schemas.contacts import ContactOut
from followup.entrypoints.web.schemas.touches import TouchOut


class ContactAt(Model):
    application: str
    contact: ContactOut


class TouchAt(Model):
    application: str
    touch: TouchOut


class CompanyOut(Model):
    name: str
    key: str
    applications: list[ListedOut]
    contacts: list[ContactAt]
    touches: list[TouchAt]
    last_attempt: date | None
    next_possible: date | None = Field(description="The first day for another follow-up (R13)")
    planned: list[ActionOut]
