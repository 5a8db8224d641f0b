"""Touches, and the vacancies heard of in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, Field

from followup.domain.model import Channel, Decision, Outcome, Purpose, Status
from followup.entrypoints.web.schemas.actions import ActionOut
from followup.entrypoints.web.schemas.common import Change, Id, Model, Name, Notes, Text


class TouchOut(Model):
    id: str
    at: datetime
    contact: str | None
    channel: Channel
    purpose: Purpose
    outcome: Outcome
    decision: Decision | None
    decision_by: date | None
    vacancies: str | None
    message_id: str | None = None
    notes: str | None = None


class TouchIn(Model):
    outcome: Outcome
    purpose: Purpose = Purpose.STATUS
    channel: Channel | None = None
    contact: Id | None = None
    at: AwareDatetime | None = None
    decision: Decision | None = None
    decision_by: date | None = None
    vacancies: Text | None = None
    notes: Notes | None = None
    new_applications: Annotated[list[Name], Field(max_length=20)] = Field(
        default=[], description="Vacancies to record as applications in the same step (R16)"
    )


class TouchPatch(Model):
    """Only the fields given change; ``null`` clears an optional one."""

    at: AwareDatetime | None = None
    channel: Channel | None = None
    purpose: Purpose | None = None
    outcome: Outcome | None = None
    contact: Id | None = None
    decision: Decision | None = None
    decision_by: date | None = None
    vacancies: Text | None = None
    notes: Notes | None = None


class LoggedOut(Model):
    touch: TouchOut
    application: str
    status: Status
    warnings: list[str]
    vacancies: list[str]
    actions: list[ActionOut]
    created: list[str] = Field(default=[], description="Applications made from new_applications")


class VacanciesIn(Model):
    titles: Annotated[list[Name], Field(min_length=1, max_length=20)]


class LoggedChanged(LoggedOut):
    change: Change
