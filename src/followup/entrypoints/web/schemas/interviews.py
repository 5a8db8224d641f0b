"""Interviews and their debriefs."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AwareDatetime, Field

from followup.entrypoints.web.schemas.common import Change, Id, Model, Notes, Warnings
from followup.entrypoints.web.schemas.contacts import ContactIn, WindowModel


class InterviewOut(Model):
    id: str
    at: datetime
    interviewers: list[str]
    contacts_every_applicant: bool | None
    direct_contact_ok: bool | None
    contact_window: WindowModel | None
    answer_by: date | None
    notes: str | None = None
    cancelled: bool = False


class InterviewIn(Model):
    at: AwareDatetime
    interviewers: list[Id] = []
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: WindowModel | None = None
    answer_by: date | None = None
    id: Id | None = None


class DebriefIn(Model):
    interview: Id | None = None
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: WindowModel | None = None
    answer_by: date | None = None
    confirm: list[Id] = Field(default=[], description="Contacts whose name spelling is confirmed")
    new_interviewers: list[ContactIn] = []


class InterviewPatch(Model):
    """Only the fields given change: a new ``at`` reschedules; ``cancelled`` keeps the record
    but takes the interview out of the plan."""

    at: AwareDatetime | None = None
    interviewers: list[Id] | None = None
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: WindowModel | None = None
    answer_by: date | None = None
    notes: Notes | None = None
    cancelled: bool | None = None


class InterviewChanged(InterviewOut):
    change: Change
    #: R11: a contact window entered with no business day in it.
    warnings: Warnings = []
