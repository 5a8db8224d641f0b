"""How actions and touches read for a person, in the command line and the web app alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from followup.domain import words
from followup.domain.model import (
    Application,
    Channel,
    Outcome,
    Purpose,
    Touch,
)
from followup.domain.when import offset, repeated


def describe(app: Application, touch: Touch) -> str:
    """``status call to Ana Sousa: no answer``, ``status email from Rui Lopes: replied``."""
    what = "call" if touch.channel is Channel.PHONE else "email"
    purpose = "thank-you" if touch.purpose is Purpose.THANK_YOU else "status"
    contact = app.contact(touch.contact)
    who = ""
    if contact is not None:
        who = f" from {contact.name}" if touch.outcome is Outcome.REPLIED else f" to {contact.name}"
    return f"{purpose} {what}{who}: {touch.outcome.value.replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    when: str  # local day and time
    kind: str  # "interview" or "touch"
    text: str
    notes: str | None = None
    #: The interview's or the touch's id: the command line names it, the web app's
    #: correction forms post to it.
    ref: str = ""
    #: An interview that will not happen (shown as such, with a way to bring it back).
    cancelled: bool = False


def timeline(app: Application, tz: tzinfo) -> list[Event]:
    """Interviews and touches in time order, as sentences."""
    events: list[Event] = []
    for iv in app.interviews:
        names = ", ".join(_name(app, c) for c in iv.interviewers) or "interviewer not recorded"
        extra = f"; answer promised by {words.day(iv.answer_by)}" if iv.answer_by else ""
        if iv.contact_window is not None:
            extra += f"; best to call {words.window(iv.contact_window)}"
        text = f"interview {iv.id} with {names}{extra}"
        if iv.cancelled:
            text += " (cancelled)"
        events.append(
            Event(iv.at, local_time(iv.at, tz), "interview", text, iv.notes, iv.id, iv.cancelled)
        )
    for t in app.touches:
        what = describe(app, t)
        if t.decision:
            what += f"; decision: {t.decision.value}"
        if t.decision_by:
            what += f" by {words.day(t.decision_by)}"
        if t.vacancies:
            what += f"; vacancies: {t.vacancies}"
        events.append(Event(t.at, local_time(t.at, tz), "touch", what, t.notes, t.id))
    return sorted(events, key=lambda e: e.at)


def local_time(at: datetime, tz: tzinfo) -> str:
    """``Tue 3 Mar 2026 10:00`` in the user's time zone."""
    local = at.astimezone(tz)
    # In an hour lived twice (the clocks go back), the offset says which: the edit forms
    # show this text, and parse_moment reads it back as the same moment.
    shown = offset(local) if repeated(local) else ""
    return f"{words.day(local.date())} {words.clock(local.time())}{shown}"


def _name(app: Application, contact_id: str | None) -> str:
    contact = app.contact(contact_id)
    return contact.name if contact else str(contact_id)
