"""The plan as calendar entries: what a calendar app shows, and by default nothing more.

Every time is a local wall-clock time in the user's zone: a call window of 10:00-12:00 in
Lisbon is 10:00-12:00 in Lisbon on both sides of a daylight-saving change, because an
entry holds the local day, the local time and the zone, and the calendar app resolves
them. Nothing here adds hours in UTC.

An entry's UID is built from its action id (FORMAT.md, "Action ids"), so importing the
file again or refreshing a subscription moves an entry instead of duplicating it, and an
action that is done simply leaves the calendar.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import NamedTuple, TypeAlias

from followup.domain import words
from followup.domain.listed import Scheduled
from followup.domain.model import Action, ActionKind, Channel, Contact, ContactWindow

#: Interviews are shown this long (the records do not say how long they last).
INTERVIEW_LENGTH = timedelta(hours=1)
#: Interviews this many days back stay in the calendar, as a record of what happened.
PAST_DAYS = 90
#: How far ahead the calendar reaches by default.
DEFAULT_DAYS = 365


@dataclass(frozen=True, slots=True)
class Detail:
    """What the calendar may show beyond the plan: off by default, since a feed's address
    travels to another program (and often to a calendar provider's servers)."""

    notes: bool = False
    phones: bool = False


#: The default: the plan, the names to ask for, and nothing else.
PRIVATE = Detail()


class Entry(NamedTuple):
    """One calendar event. ``start`` and ``end`` are dates (all day) or aware datetimes in
    the user's zone (``end`` is exclusive either way).

    A named tuple, not a frozen dataclass: as immutable, and made in a tenth of the time
    (a calendar of a backlog makes 200,000 of them, issue 12)."""

    uid: str
    summary: str
    description: str
    start: date | datetime
    end: date | datetime
    #: Interviews block time; a reminder or a call window does not.
    busy: bool = False

    @property
    def sort_key(self) -> tuple[date, time, str]:
        return _start_key(self.start, self.uid)


def _start_key(start: date | datetime, uid: str) -> tuple[date, time, str]:
    if isinstance(start, datetime):
        return (start.date(), start.time(), uid)
    return (start, time.min, uid)


class Line(NamedTuple):
    """An action as its calendar entry shows it: what its list line holds (no script, no
    steps, no contact details).

    A named tuple that a store makes straight from its list columns: building a frozen
    :class:`~followup.domain.model.Action` for each of a backlog's 150,000 was a fifth of
    its calendar (issue 12). With the phone numbers shown, the calendar takes whole
    actions instead, since an HR contact borrowed from another application (R10) is named
    only there."""

    id: str
    due: date
    kind: ActionKind
    rule: str
    reason: str
    application: str | None
    company: str | None
    position: str | None
    contact_name: str | None
    channel: Channel | None
    window: ContactWindow | None


def line(action: Action) -> Line:
    """``action``'s :class:`Line` (the actions that are not stored rows: R9's, a stale
    application's)."""
    a = action
    return Line(
        a.id, a.due, a.kind, a.rule, a.reason, a.application, a.company, a.position,
        a.contact_name, a.channel, a.window,
    )  # fmt: skip


#: An item of the calendar with its place (day, start, UID) and a call's hours.
_Placed: TypeAlias = (
    "tuple[tuple[date, time, str], Action | Line | Scheduled, tuple[time, time] | None]"
)


def anchored_line(item: Line, today: date) -> Line:
    """:func:`followup.domain.reading.anchored` of a line: R20's ``withdraw`` is due on the
    day it is read."""
    if item.kind is ActionKind.WITHDRAW and item.due != today:
        return item._replace(due=today)
    return item


@dataclass(frozen=True, slots=True)
class Feed:
    """The calendar feed: the SHA-256 of its secret token (never the token) and its detail."""

    token_sha256: str
    detail: Detail
    created_at: datetime


def token_digest(token: str) -> str:
    """How a feed token is kept: a plain SHA-256 suffices for 256 random bits (no dictionary
    to guess from), and it lets the token be found without storing it."""
    return hashlib.sha256(token.encode()).hexdigest()


def uid(action_id: str) -> str:
    """A stable UID for an action. ``apply_more`` carries the day in its id; its entry is
    one reminder that moves, so the day is left out."""
    base = "apply_more" if action_id.startswith("apply_more:") else action_id
    return f"{base}@followup"


def entries(
    actions: Iterable[Action | Line],
    interviews: Iterable[Scheduled],
    today: date,
    tz: tzinfo,
    contacts: Mapping[tuple[str, str], Contact],
    notes: Mapping[str, str],
    detail: Detail = PRIVATE,
) -> Iterator[Entry]:
    """The calendar of the plan in order: one entry per action (an overdue one once, on
    ``today``) and per interview. ``contacts`` and ``notes`` are read only when ``detail``
    allows them; a phone number is looked up for a whole :class:`Action` only (a
    :class:`Line` does not say whose contact it names).

    Entries are made one at a time as they are taken, so a calendar of a large backlog is
    written without holding all its text: the actions are put in order by their place
    alone (day, time, UID), which is what :attr:`Entry.sort_key` would say of them.
    """

    # Each action's and interview's place worked out once, and all put in order by one
    # sort of their places (issue 12: a backlog's calendar has 200,000 entries, and
    # ``heapq.merge`` with a key took longer than making them).
    placed: list[_Placed] = []
    for a in actions:
        day, hours = _placement(a, today)
        placed.append(((day, hours[0] if hours else time.min, uid(a.id)), a, hours))
    for s in interviews:
        start = s.at.astimezone(tz)
        placed.append(((start.date(), start.time(), _interview_uid(s)), s, None))
    placed.sort(key=_FIRST)
    return _made(placed, today, tz, contacts, notes, detail)


def _made(
    placed: list[_Placed],
    today: date,
    tz: tzinfo,
    contacts: Mapping[tuple[str, str], Contact],
    notes: Mapping[str, str],
    detail: Detail,
) -> Iterator[Entry]:
    """The entries of :func:`entries`, each made as it is taken."""
    said: dict[date, str] = {}  # an overdue action's day in words, once per day
    phones, with_notes = detail.phones, detail.notes  # asked once, not per entry
    for place, item, hours in placed:
        if isinstance(item, Scheduled):
            yield _interview(item, tz, _notes(item.application, notes, detail))
        else:
            phone = _phone(item, contacts, detail) if phones and isinstance(item, Action) else None
            note = _notes(item.application, notes, detail) if with_notes else None
            yield _action(item, place, hours, today, tz, said, phone, note)


#: An item's place, first in each (place, ...) tuple.
_FIRST = operator.itemgetter(0)


def _placement(action: Action | Line, today: date) -> tuple[date, tuple[time, time] | None]:
    """The day an action is shown (an overdue one on ``today``), and the hours of a call
    that starts when its window opens (``None``: all day)."""
    day = max(action.due, today)
    window = action.window
    if (
        action.kind is ActionKind.STATUS_CALL
        and window is not None
        and window.hours is not None
        and (not window.days or day.weekday() in window.days)
    ):
        return day, window.hours
    return day, None


def _phone(
    action: Action, contacts: Mapping[tuple[str, str], Contact], detail: Detail
) -> str | None:
    if not detail.phones or action.contact_owner is None or action.contact is None:
        return None
    contact = contacts.get((action.contact_owner, action.contact))
    return contact.phone if contact else None


def _notes(app_id: str | None, notes: Mapping[str, str], detail: Detail) -> str | None:
    return notes.get(app_id) if detail.notes and app_id else None


def _action(
    action: Action | Line,
    place: tuple[date, time, str],
    hours: tuple[time, time] | None,
    today: date,
    tz: tzinfo,
    said: dict[date, str],
    phone: str | None,
    notes: str | None,
) -> Entry:
    """The entry of an action shown on ``place`` (its day, start and UID, from
    :func:`_placement`), at ``hours`` or all day."""
    lines = [f"{action.reason} ({action.rule})"]
    due = action.due
    if due < today:
        when = said.get(due)
        if when is None:
            when = said[due] = words.day(due)
        lines.insert(0, f"Overdue: it was due on {when}.")
    if action.channel is Channel.PHONE and action.contact_name:
        lines.append(f"Ask for {action.contact_name}.")
    if phone:
        lines.append(f"Phone: {phone}")
    if action.window is not None:
        lines.append(f"Best time to call: {words.window(action.window)}.")
    if notes:
        lines.append(f"Notes: {notes}")
    lines.append(f"In followup: {action.id}")
    day = place[0]
    start: date | datetime = day
    end: date | datetime = day + timedelta(days=1)
    if hours is not None:
        # A call starts when its window opens: local wall-clock times, in the user's zone.
        start, end = datetime.combine(day, hours[0], tz), datetime.combine(day, hours[1], tz)
    title = words.title(action.kind, action.company, action.position, action.contact_name)
    return Entry(place[2], title, "\n".join(lines), start, end)


def _interview(s: Scheduled, tz: tzinfo, notes: str | None) -> Entry:
    start = s.at.astimezone(tz)
    lines = [f"Interview for {s.position} at {s.company}."]
    if s.interviewers:
        lines.append(f"With {', '.join(s.interviewers)}.")
    lines.append(
        "At the end, note each interviewer's details and ask when and how they will answer"
        " (R2, R3)."
    )
    if notes:
        lines.append(f"Notes: {notes}")
    return Entry(
        _interview_uid(s),
        f"Interview: {s.company}, {s.position}",
        "\n".join(lines),
        start,
        start + INTERVIEW_LENGTH,
        busy=True,
    )


def _interview_uid(s: Scheduled) -> str:
    return f"interview:{s.application}:{s.interview_id}@followup"
