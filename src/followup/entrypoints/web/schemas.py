"""The JSON API's shapes. They follow FORMAT.md: an application is its ``followup/1``
entry (plus its current actions), an action is a ``plan --json`` entry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from followup.domain.model import ActionKind, Channel, Decision, Outcome, Purpose, Role, Status
from followup.domain.text import LIMITS

Text = Annotated[str, Field(max_length=2000)]
Notes = Annotated[str, Field(max_length=LIMITS["notes"])]
Posting = Annotated[str, Field(max_length=LIMITS["posting"], description="The job ad's text")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=100)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Model):
    error: str
    field: str | None = None
    existing: str | None = Field(
        default=None, description="A duplicate: the id of the application already there"
    )


#: The history entry a change wrote (``POST /api/undo`` reverts it); null when nothing changed.
Change = Annotated[int | None, Field(description="The history entry of this change")]


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


class PlanOut(Model):
    now: datetime
    today: date
    actions: list[ActionOut]


Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["10:00"])]


class WindowModel(Model):
    """Best days and hours to call (R3), as in FORMAT.md: hours are ``HH:MM``, local time."""

    days: list[Weekday] = []
    start: Clock | None = None
    end: Clock | None = None


class ContactOut(Model):
    id: str
    name: str
    role: Role
    email: str | None
    phone: str | None
    name_confirmed: bool
    email_failed_on: date | None = None  # a delivery report said the address fails


class ContactIn(Model):
    name: Name
    role: Role = Role.INTERVIEWER
    email: Text | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    name_confirmed: bool = False
    id: Id | None = None


class ContactPatch(Model):
    name: Name | None = None
    role: Role | None = None
    email: Text | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    name_confirmed: bool | None = None
    email_ok: bool | None = None  # true: the address works again (clears a bounce's mark)


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
    """Only the fields given change; ``null`` clears an optional one."""

    company: Name | None = None
    position: Name | None = None
    applied_on: date | None = None
    link: Text | None = None
    source: Text | None = None
    notes: Notes | None = None
    posting: Posting | None = None


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


class SettingsOut(Model):
    timezone: str
    country: str | None
    name: str | None
    policy: dict[str, int]


class SettingsIn(Model):
    """Only the settings given change; every application is re-planned if the plan moves."""

    timezone: Annotated[str, Field(max_length=100)] | None = None
    country: Annotated[str, Field(max_length=10)] | None = None
    name: Name | None = None
    policy: dict[Annotated[str, Field(max_length=100)], int] = {}


class ImportOut(Model):
    created: int
    updated: int
    unchanged: int
    settings_changed: bool


class CsrfOut(Model):
    token: str


# --- changes and their history -----------------------------------------------------------------


class ApplicationChanged(ApplicationOut):
    change: Change


class InterviewChanged(InterviewOut):
    change: Change


class ContactChanged(ContactOut):
    change: Change


class LoggedChanged(LoggedOut):
    change: Change


class DoneChanged(DoneOut):
    change: Change


class SettingsChanged(SettingsOut):
    change: Change


class ImportChanged(ImportOut):
    change: Change


class DeletedOut(Model):
    deleted: str
    change: Change


class RevisionOut(Model):
    record: str = Field(description="An application id, or 'settings'")
    what: list[str]


class EntryOut(Model):
    id: int
    at: datetime
    summary: str
    changes: list[RevisionOut]
    undoes: int | None = Field(description="The entry this one undid, when it is an undo")
    undone_by: int | None = Field(description="The undo that reverted this entry")
    undoable: bool


class HistoryOut(Model):
    entries: list[EntryOut]
    before: int | None = Field(description="Give it as ?before= for the next (older) page")


class UndoIn(Model):
    entry: int | None = Field(
        default=None,
        ge=1,
        le=2**62,  # changes.MAX_ID: SQLite integers are 64-bit
        description="The change to undo; refused unless it is the newest",
    )


class UndoneOut(Model):
    undone: EntryOut
    change: int = Field(description="The history entry of the undo itself")


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
