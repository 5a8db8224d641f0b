"""The proof of applications: every application and contact made in a period, as lines.

People claiming unemployment benefit must often show what they did to find work (in
Germany the "Bewerbungsnachweis" for the Agentur für Arbeit asks, for each effort: the
date, the employer, the position, the form of the application or contact, the person
contacted and the result). A line here holds exactly those, so any rendering (text, CSV,
HTML, PDF) is a layout of the same facts.

Every day is a local date in the user's zone: a call at 23:30 UTC on 31 March is on
1 April in Berlin, and counts in April's proof.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from followup.domain.model import (
    Application,
    Channel,
    Decision,
    Outcome,
    Purpose,
    Role,
    Status,
)

#: How each kind of line reads in the "How" column (the form of the contact).
APPLICATION = "application"
EMAIL = "email"
PHONE = "phone"
INTERVIEW = "interview"
#: The order of the totals; a kind of line is counted even when the period has none.
KINDS = (APPLICATION, EMAIL, PHONE, INTERVIEW)

#: An application's result as the proof words it (its status, a closing decision applied).
RESULTS = {
    Status.ACTIVE: "pending",
    Status.OFFER: "offer",
    Status.ACCEPTED: "offer accepted",
    Status.REJECTED: "rejected",
    Status.WITHDRAWN: "withdrawn",
    Status.NO_RESPONSE: "no response",
}
_DECISIONS = {
    Decision.UNDECIDED: "not decided yet",
    Decision.REJECTED: "rejected",
    Decision.OFFER: "an offer",
}
_OUTCOMES = {
    Outcome.SENT: "sent",
    Outcome.REACHED: "spoke with them",
    Outcome.NO_ANSWER: "no answer",
    Outcome.VOICEMAIL: "left a voicemail",
    Outcome.REPLIED: "they replied",
}


@dataclass(frozen=True, slots=True)
class ProofLine:
    """One effort: the columns of the proof, in words a clerk reads without a legend."""

    day: date
    #: The local time, when one is known (an application has a day only).
    at: time | None
    company: str
    position: str
    how: str
    contact: str
    outcome: str
    #: The application it belongs to, for a link back (not printed).
    application: str
    #: ``APPLICATION``, ``EMAIL``, ``PHONE`` or ``INTERVIEW``: what the totals count.
    kind: str

    @property
    def sort_key(self) -> tuple[date, int, time, str, str, str]:
        """By day; on a day the applications first, then the contacts by time."""
        first = self.kind == APPLICATION
        return (
            self.day,
            0 if first else 1,
            self.at or time(0),
            self.company.casefold(),
            self.position.casefold(),
            self.how,
        )


@dataclass(frozen=True, slots=True)
class Proof:
    """The lines of a period ``[first, last]`` (both included) and their totals."""

    first: date
    last: date
    #: The candidate's name from the settings (``None``: not set, a blank is left for it).
    name: str | None
    timezone: str
    #: The local day the proof was made.
    made_on: date
    lines: tuple[ProofLine, ...]

    @property
    def totals(self) -> list[tuple[str, int]]:
        """``[(kind, count), ...]`` in :data:`KINDS` order, then ``("companies", n)``."""
        counted = Counter(line.kind for line in self.lines)
        companies = {line.company.strip().casefold() for line in self.lines}
        return [*((kind, counted[kind]) for kind in KINDS), ("companies", len(companies))]


def lines_of(
    app: Application, first: date, last: date, tz: tzinfo, now: datetime
) -> list[ProofLine]:
    """What ``app`` contributes to a proof of ``[first, last]``.

    The application itself on the day it was sent (a day recorded only is not proof that
    it was sent), with its result so far (an open one with an interview: invited to an
    interview), each email and call on its local day, each interview not cancelled
    (``held`` once ``now`` is past it). A skipped action was no contact, so it is left out.
    """
    found: list[ProofLine] = []

    def add(day: date, at: time | None, how: str, contact: str, outcome: str, kind: str) -> None:
        if first <= day <= last:
            found.append(
                ProofLine(day, at, app.company, app.position, how, contact, outcome, app.id, kind)
            )

    if app.applied_on is not None:
        how = f"application via {app.source}" if app.source else APPLICATION
        hr = [c.name for c in app.contacts if c.role is Role.HR]
        result = RESULTS[app.effective_status]
        if app.effective_status is Status.ACTIVE and app.held_interviews:
            result = "invited to an interview"
        add(app.applied_on, None, how, ", ".join(hr), result, APPLICATION)
    for touch in app.touches:
        if touch.outcome is Outcome.SKIPPED:
            continue
        local = touch.at.astimezone(tz)
        contact = app.contact(touch.contact)
        outcome = _OUTCOMES[touch.outcome]
        if touch.outcome is not Outcome.REPLIED:
            what = "thank-you" if touch.purpose is Purpose.THANK_YOU else "follow-up"
            outcome = f"{what}: {outcome}"
        if touch.decision is not None:
            outcome += f"; {_DECISIONS[touch.decision]}"
        kind = PHONE if touch.channel is Channel.PHONE else EMAIL
        add(local.date(), _minute(local), kind, contact.name if contact else "", outcome, kind)
    for iv in app.held_interviews:
        local = iv.at.astimezone(tz)
        names = _names(app, iv.interviewers)
        outcome = "held" if iv.at <= now else "scheduled"
        add(local.date(), _minute(local), INTERVIEW, names, outcome, INTERVIEW)
    return found


def proof(
    apps: Iterable[Application],
    first: date,
    last: date,
    *,
    tz: tzinfo,
    timezone: str,
    name: str | None,
    now: datetime,
) -> Proof:
    """The proof of ``[first, last]`` over ``apps`` (read as a stream: only lines are kept)."""
    lines = [line for app in apps for line in lines_of(app, first, last, tz, now)]
    lines.sort(key=lambda line: line.sort_key)
    return Proof(first, last, name, timezone, now.astimezone(tz).date(), tuple(lines))


def _minute(local: datetime) -> time:
    return time(local.hour, local.minute)


def _names(app: Application, contact_ids: Iterable[str]) -> str:
    names = []
    for contact_id in contact_ids:
        contact = app.contact(contact_id)
        names.append(contact.name if contact else contact_id)
    return ", ".join(names)
