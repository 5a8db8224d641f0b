"""What each conversation with the company must contain: checklists, call scripts, emails.

These are data, not I/O: the planner attaches checklists and scripts to actions, and the
email templates (the ``Drafts`` port, ``followup.adapters.templates`` by default) turn an
:class:`EmailDraft` into an :class:`Email`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from followup.domain import words
from followup.domain.model import Application, Contact, ContactWindow, Interview, Role


def prepare_checklist() -> tuple[str, ...]:
    """R1: what to find out before leaving the interview room."""
    return (
        "Write down each interviewer's name and check the spelling with them (R2).",
        "Ask each interviewer for an email address or phone number (R2).",
        "Ask whether the company gets back to every applicant (R3).",
        "Ask whether you may contact them directly, and which days and hours suit best (R3).",
        "Ask by when they expect to give an answer (R7).",
        "Ask whether other positions are open (R16).",
    )


def debrief_gaps(app: Application, interview: Interview) -> tuple[list[str], list[str]]:
    """The R2 and R3 questions an interview's record still leaves open."""
    r2: list[str] = []
    if not interview.interviewers:
        r2.append("Record who interviewed you (R2).")
    for cid in interview.interviewers:
        contact = app.contact(cid)
        name = contact.name if contact else cid
        if contact is None or not contact.name_confirmed:
            r2.append(f"Confirm the spelling of {name}'s name (R2).")
        if contact is None or not contact.reachable:
            r2.append(f"Record {name}'s email or phone (R2).")
    r3: list[str] = []
    if interview.contacts_every_applicant is None:
        r3.append("Note whether the company gets back to every applicant (R3).")
    if interview.direct_contact_ok is None:
        r3.append("Note whether you may contact them directly (R3).")
    return r2, r3


def debrief_extras(interview: Interview) -> list[str]:
    """Useful but optional answers, listed while a debrief is due anyway."""
    extras = []
    if interview.contact_window is None:
        extras.append("Note the best days and hours to call, if they said (R3).")
    if interview.answer_by is None:
        extras.append("Note the date they promised an answer by, if they gave one (R7).")
    return extras


def call_script(
    app: Application,
    target: Contact,
    interview: Interview,
    interview_day: date,
    window: ContactWindow | None,
) -> tuple[str, ...]:
    """R11: who to ask for, what to say, what to ask (R14, R16)."""
    who = target.name if target.role is not Role.HR else f"{target.name} (HR)"
    lines = [f"Ask for {who}."]
    if window is not None and not window.on_weekdays:  # no business day in it (R11)
        lines.append(f"They named {words.window(window)}: ask which weekday time suits them.")
    elif window is not None:
        lines.append(f"Best time to call: {words.window(window)}.")
    lines += [
        f"Say who you are: you interviewed for the {app.position} position "
        f"on {words.day(interview_day)}, and you are still very interested.",
        "Ask where the selection process stands.",
        "If nothing is decided yet, ask when they expect to decide, and note the date (R14).",
        f"Ask whether other positions are open at {app.company} (R16).",
        "Thank them for their time, whatever the answer.",
    ]
    return tuple(lines)


def application_script(app: Application, target: Contact, applied: date) -> tuple[str, ...]:
    """R18: a short follow-up on an application, before any interview."""
    return (
        f"Ask for {target.name} (HR).",
        f"Say who you are: you applied for the {app.position} position on "
        f"{words.day(applied)}, and you are still very interested.",
        "Ask whether your application has been reviewed, and what the next steps are.",
        "If nothing is decided yet, ask when they expect to, and note the date (R14).",
        f"Ask whether other positions are open at {app.company} (R16).",
        "Thank them for their time, whatever the answer.",
    )


def withdraw_script(app: Application, target: Contact | None) -> tuple[str, ...]:
    """R20: withdrawing after accepting another offer, leaving a good memory behind."""
    lines = [f"Ask for {target.name}."] if target is not None else []
    lines += [
        f"Say that you have accepted another offer and withdraw from the {app.position} process.",
        f"Thank them for their time and for considering you at {app.company}.",
        "Say you would be glad to stay in touch: plans change, and doors left open stay open.",
    ]
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class EmailDraft:
    """Everything an email template may use."""

    #: "thank_you", "status", "application" (R18) or "withdraw" (R20)
    kind: str
    to_name: str | None
    to_email: str | None
    company: str
    position: str
    interview_day: date | None
    candidate_name: str | None = None
    #: The day the candidate applied (R18's email recalls it).
    applied_on: date | None = None
    #: The process has ended with a rejection: a thank-you then asks for nothing (R5).
    rejected: bool = False

    @property
    def interview_day_text(self) -> str:
        return words.day(self.interview_day) if self.interview_day else ""

    @property
    def applied_on_text(self) -> str:
        return words.day(self.applied_on) if self.applied_on else ""


@dataclass(frozen=True, slots=True)
class Email:
    """A draft turned into text: what the user sends (or followup sends for them)."""

    to_name: str | None
    to_email: str | None
    subject: str
    body: str
