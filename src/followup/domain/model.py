"""The records of a job search and the actions planned from them.

Everything here is an immutable value: services build new values instead of mutating
old ones, so a plan computed from a set of records can never drift from them.
Datetimes are aware (the store keeps them in UTC); dates are local dates in the
user's time zone (RULES.md, "Words").
"""

from __future__ import annotations

import enum
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time


class Status(enum.StrEnum):
    ACTIVE = "active"
    OFFER = "offer"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NO_RESPONSE = "no_response"


class Role(enum.StrEnum):
    INTERVIEWER = "interviewer"
    HR = "hr"
    OTHER = "other"


class Channel(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"


class Purpose(enum.StrEnum):
    THANK_YOU = "thank_you"
    STATUS = "status"


class Outcome(enum.StrEnum):
    SENT = "sent"
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    REPLIED = "replied"
    SKIPPED = "skipped"


class Decision(enum.StrEnum):
    UNDECIDED = "undecided"
    REJECTED = "rejected"
    OFFER = "offer"


class ActionKind(enum.StrEnum):
    PREPARE_INTERVIEW = "prepare_interview"
    DEBRIEF = "debrief"
    THANK_YOU_EMAIL = "thank_you_email"
    STATUS_CALL = "status_call"
    STATUS_EMAIL = "status_email"
    FIND_CONTACT = "find_contact"
    GIVE_UP = "give_up"
    APPLY_MORE = "apply_more"
    APPLICATION_FOLLOW_UP = "application_follow_up"
    WITHDRAW = "withdraw"


#: Outcomes that make a touch a status *attempt* ("Computing the next status follow-up").
ATTEMPT_OUTCOMES = frozenset({Outcome.SENT, Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL})
#: Kinds whose action id is ``status:<application>`` and which cannot be dismissed.
STATUS_KINDS = frozenset(
    {
        ActionKind.STATUS_CALL,
        ActionKind.STATUS_EMAIL,
        ActionKind.FIND_CONTACT,
        ActionKind.GIVE_UP,
        ActionKind.APPLICATION_FOLLOW_UP,
        ActionKind.WITHDRAW,
    }
)
#: The status follow-ups that R13 spaces at one company (step 8 of the computation).
SPACED_KINDS = frozenset(
    {ActionKind.STATUS_CALL, ActionKind.STATUS_EMAIL, ActionKind.APPLICATION_FOLLOW_UP}
)
#: Kinds the candidate may dismiss (FORMAT.md, "Action ids").
DISMISSIBLE_KINDS = frozenset(
    {ActionKind.PREPARE_INTERVIEW, ActionKind.DEBRIEF, ActionKind.THANK_YOU_EMAIL}
)
CLOSING_DECISIONS = frozenset({Decision.REJECTED, Decision.OFFER})

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A touch's outcome says which channel it happened on.
PHONE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL})
EMAIL_OUTCOMES = frozenset({Outcome.SENT})


def outcome_channel_problem(outcome: Outcome, channel: Channel) -> str | None:
    """Calls are reached or not; emails are sent: the other pairs cannot have happened."""
    if outcome in PHONE_OUTCOMES and channel is not Channel.PHONE:
        return f"{outcome.value!r} is the outcome of a call (channel phone)"
    if outcome in EMAIL_OUTCOMES and channel is not Channel.EMAIL:
        return f"{outcome.value!r} is the outcome of an email (channel email)"
    return None


def company_key(company: str) -> str:
    """Two applications are at the same company when their names match this key (R13)."""
    return company.strip().casefold()


class InvalidWindow(ValueError):
    """A contact window that cannot be: ``problem`` says which way (one of the constants)."""

    DAYS = "days"  # a weekday number outside 0-6
    HALF = "half"  # a start without an end, or an end without a start
    ORDER = "order"  # the window ends before (or when) it starts

    def __init__(self, problem: str) -> None:
        super().__init__(f"invalid contact window: {problem}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ContactWindow:
    """The days and hours the company said are best to be contacted (R3, R11).

    ``days`` holds weekday numbers (Monday is 0); empty means any day. ``start`` and
    ``end`` are local wall-clock times, so a window stays put across DST changes.
    """

    days: frozenset[int] = frozenset()
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        """The one check of a window's shape: whoever reads one (the file reader, the API,
        the command line's ``tue,thu 10-12``) words :class:`InvalidWindow` its own way."""
        if any(not 0 <= d <= 6 for d in self.days):
            raise InvalidWindow(InvalidWindow.DAYS)
        if (self.start is None) != (self.end is None):
            raise InvalidWindow(InvalidWindow.HALF)
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise InvalidWindow(InvalidWindow.ORDER)

    @property
    def hours(self) -> tuple[time, time] | None:
        if self.start is None or self.end is None:
            return None
        return (self.start, self.end)

    @property
    def on_weekdays(self) -> bool:
        """Whether a call can fall on the window's days (R11: calls go on business days,
        Monday to Friday): any day does, a weekend-only window does not."""
        return not self.days or any(d < 5 for d in self.days)


@dataclass(frozen=True, slots=True)
class Contact:
    """A person met through an application: an interviewer, HR or someone else (R2, R10)."""

    id: str
    name: str
    role: Role
    email: str | None = None
    phone: str | None = None
    name_confirmed: bool = False
    #: The day a delivery report said mail to ``email`` fails (issue 16); None: it works.
    email_failed_on: date | None = None

    @property
    def usable_email(self) -> str | None:
        """The address, unless mail to it bounced: then it counts as no email at all."""
        return None if self.email_failed_on is not None else self.email

    @property
    def reachable(self) -> bool:
        """R10: a target needs a phone or an email (one that does not bounce)."""
        return bool(self.usable_email or self.phone)


@dataclass(frozen=True, slots=True)
class Interview:
    """An interview, held or to come, and what the candidate learned in it (R1-R3)."""

    id: str
    at: datetime
    interviewers: tuple[str, ...] = ()
    contacts_every_applicant: bool | None = None
    direct_contact_ok: bool | None = None
    contact_window: ContactWindow | None = None
    answer_by: date | None = None
    #: What the candidate noted about it (what was asked, who else was there).
    notes: str | None = None
    #: An interview that will not happen: kept in the timeline, ignored by the planner.
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Touch:
    """One contact with the company: a thank-you sent, a status call or email, a reply."""

    id: str
    at: datetime
    channel: Channel
    purpose: Purpose
    outcome: Outcome
    contact: str | None = None
    decision: Decision | None = None
    decision_by: date | None = None
    vacancies: str | None = None
    #: The email's Message-ID, for an email sent by followup or a reply it read (issue 4).
    message_id: str | None = None
    #: What was said, in the candidate's words.
    notes: str | None = None

    @property
    def is_attempt(self) -> bool:
        """A status attempt: a follow-up the candidate made, answered or not."""
        return self.purpose is Purpose.STATUS and self.outcome in ATTEMPT_OUTCOMES

    @property
    def is_company_answer(self) -> bool:
        """The company answered: a call got through, or a reply arrived."""
        return self.outcome is Outcome.REPLIED or (
            self.purpose is Purpose.STATUS and self.outcome is Outcome.REACHED
        )


@dataclass(frozen=True, slots=True)
class Application:
    """One application and everything recorded about it: the records the plan comes from."""

    id: str
    company: str
    position: str
    status: Status = Status.ACTIVE
    applied_on: date | None = None
    #: The local day the application was recorded; R9 uses it when ``applied_on`` is unknown.
    recorded_on: date | None = None
    link: str | None = None
    source: str | None = None
    notes: str | None = None
    #: The job ad as pasted: kept because sites take ads down once the post is filled.
    posting: str | None = None
    contacts: tuple[Contact, ...] = ()
    interviews: tuple[Interview, ...] = ()
    touches: tuple[Touch, ...] = ()
    snoozed_until: date | None = None
    dismissed: frozenset[str] = frozenset()

    @property
    def company_key(self) -> str:
        return company_key(self.company)

    @property
    def is_open(self) -> bool:
        """Active and not closed by a recorded decision (R15, FORMAT.md)."""
        return self.status is Status.ACTIVE and not any(
            t.decision in CLOSING_DECISIONS for t in self.touches
        )

    @property
    def closing_decision(self) -> Decision | None:
        """The last recorded decision that closes the process (R15), if any."""
        closing = [
            t
            for t in sorted(self.touches, key=lambda t: (t.at, t.id))
            if t.decision in CLOSING_DECISIONS
        ]
        return closing[-1].decision if closing else None

    @property
    def effective_status(self) -> Status:
        """The status, with a closing decision applied to an ``active`` one (FORMAT.md)."""
        if self.status is Status.ACTIVE:
            decision = self.closing_decision
            if decision is Decision.REJECTED:
                return Status.REJECTED
            if decision is Decision.OFFER:
                return Status.OFFER
        return self.status

    @property
    def held_interviews(self) -> tuple[Interview, ...]:
        """The interviews that count: a cancelled one will not happen, so it plans nothing."""
        return tuple(iv for iv in self.interviews if not iv.cancelled)

    @property
    def added_on(self) -> date | None:
        """The day R9 counts the application as added."""
        return self.applied_on or self.recorded_on

    def contact(self, contact_id: str | None) -> Contact | None:
        if contact_id is None:
            return None
        for c in self.contacts:
            if c.id == contact_id:
                return c
        return None

    def interview(self, interview_id: str) -> Interview | None:
        for iv in self.interviews:
            if iv.id == interview_id:
                return iv
        return None


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a computation, for ``explain`` (STYLE: every score is explainable)."""

    rule: str
    text: str
    day: date | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """Something to do, when, and why: the rule that asks for it and its reason in words."""

    id: str
    kind: ActionKind
    due: date
    rule: str
    reason: str
    application: str | None = None
    company: str | None = None
    position: str | None = None
    contact: str | None = None
    #: The contact's name as recorded (R2), so output can name the person.
    contact_name: str | None = None
    #: The application the contact belongs to when it is another one at the same company
    #: (R10: its HR contact stands in for a missing one); ``None``: the action's own.
    contact_application: str | None = None
    channel: Channel | None = None
    window: ContactWindow | None = None
    #: For calls: what to say and ask (R11). For ``prepare_interview`` and ``debrief``:
    #: the questions still to ask (R1, R2, R3).
    script: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()

    @property
    def contact_owner(self) -> str | None:
        """The application whose contact ``contact`` is (R10 may borrow another's HR)."""
        return self.contact_application or self.application

    @property
    def sort_key(self) -> tuple[date, str, str, str, str]:
        """FORMAT.md order: due, kind, application, contact; then the id, so that equal
        keys (two thank-yous to one person, after two interviews) always come in one
        order, and the pages of a list never overlap."""
        return (self.due, self.kind.value, self.application or "", self.contact or "", self.id)


def status_action_id(application_id: str) -> str:
    return f"status:{application_id}"


def prepare_action_id(application_id: str, interview_id: str) -> str:
    return f"prepare_interview:{application_id}:{interview_id}"


def debrief_action_id(application_id: str, interview_id: str) -> str:
    return f"debrief:{application_id}:{interview_id}"


def thank_you_action_id(application_id: str, interview_id: str, contact_id: str | None) -> str:
    return f"thank_you_email:{application_id}:{interview_id}:{contact_id or '-'}"


def dismissal_problem(
    action_id: str, app_id: str, interviews: Iterable[Interview], contacts: Container[str]
) -> str | None:
    """Why ``action_id`` cannot be among this application's dismissals, or ``None``.

    Only a preparation, a debrief or a thank-you can be dismissed (FORMAT.md, "Action
    ids"), and only one of this application, about an interview (and contact) it has.
    """
    kind, _, rest = action_id.partition(":")
    parts = rest.split(":")
    if kind not in {k.value for k in DISMISSIBLE_KINDS}:
        return f"{action_id!r} cannot be dismissed (only {', '.join(sorted(DISMISSIBLE_KINDS))})"
    wanted = 3 if kind == ActionKind.THANK_YOU_EMAIL else 2
    if len(parts) != wanted:
        return f"{action_id!r} is not a {kind} id"
    if parts[0] != app_id:
        return f"{action_id!r} is about another application than {app_id!r}"
    if parts[1] not in {iv.id for iv in interviews}:
        return f"{action_id!r} names no interview of {app_id!r}"
    if wanted == 3 and parts[2] != "-" and parts[2] not in contacts:
        return f"{action_id!r} names no contact of {app_id!r}"
    return None


def apply_more_action_id(today: date) -> str:
    return f"apply_more:{today.isoformat()}"
