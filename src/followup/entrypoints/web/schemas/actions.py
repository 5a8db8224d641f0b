"""The plan and its actions: explained, drafted, done."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime

from followup.domain.model import ActionKind, Channel, Decision, Outcome, Status
from followup.entrypoints.web.schemas.common import Change, Model, Text


class Hours(Model):
    start: str
    end: str


class ActionOut(Model):
    id: str
    kind: ActionKind
    application: str | None
    company: str | None
    position: str | None
    contact: str | None
    channel: Channel | None
    due: date
    window: Hours | None
    overdue: bool
    rule: str
    reason: str
    script: list[str]
    #: Only when R10 took the HR contact of another application at the same company:
    #: that application's id (``plan --json`` writes it the same way).
    contact_application: str | None = None


class PlanOut(Model):
    now: datetime
    today: date
    actions: list[ActionOut]


class StepOut(Model):
    rule: str
    step: str
    date: date | None


class ExplainOut(Model):
    id: str
    kind: ActionKind
    due: date
    rule: str
    reason: str
    steps: list[StepOut]


class Recipient(Model):
    name: str | None
    email: str | None


class DraftOut(Model):
    action: str
    to: Recipient
    subject: str
    body: str


class DoneIn(Model):
    outcome: Outcome | None = None
    decision: Decision | None = None
    decision_by: date | None = None
    vacancies: Text | None = None
    at: AwareDatetime | None = None


class DoneOut(Model):
    action: str
    application: str
    status: Status
    message: str
    actions: list[ActionOut]
    #: What the touch broke that it was allowed to (R13's spacing, R7's answer date), as
    #: ``POST /api/applications/{id}/touches`` says it.
    warnings: list[str] = []


class DoneChanged(DoneOut):
    change: Change
