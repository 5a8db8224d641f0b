"""How dates, times and windows read in product text, independent of the OS locale."""

from __future__ import annotations

import functools
from datetime import date, time

from followup.domain.model import WEEKDAYS, Action, ActionKind, ContactWindow

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: What each kind of action asks the candidate to do, as a title.
KIND_LABELS = {
    ActionKind.PREPARE_INTERVIEW: "Prepare the interview",
    ActionKind.DEBRIEF: "Record what you learned",
    ActionKind.THANK_YOU_EMAIL: "Send a thank-you email",
    ActionKind.STATUS_CALL: "Call for news",
    ActionKind.STATUS_EMAIL: "Email for news",
    ActionKind.FIND_CONTACT: "Find the HR contact",
    ActionKind.GIVE_UP: "Let this one go",
    ActionKind.APPLY_MORE: "Apply to more jobs",
    ActionKind.APPLICATION_FOLLOW_UP: "Follow up on your application",
    ActionKind.WITHDRAW: "Withdraw, kindly",
}

#: Month names as the app writes them (``Tue 3 Mar 2026``); dates typed so are read back.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(d: date) -> str:
    """``Tue 3 Mar 2026``: short, unambiguous, the same on every machine."""
    return f"{_DAY_NAMES[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def action_title(action: Action) -> str:
    """``Call for news: Ana Sousa (Acme, Backend Engineer)``: what to do, and for whom."""
    return title(action.kind, action.company, action.position, action.contact_name)


def title(
    kind: ActionKind, company: str | None, position: str | None, contact_name: str | None
) -> str:
    """:func:`action_title` from the parts it says (a calendar line has no ``Action``)."""
    label = KIND_LABELS[kind]
    if not company:
        return label
    who = f"{company}, {position}"
    if contact_name:
        who = f"{contact_name} ({who})"
    return f"{label}: {who}"


def late(action: Action, today: date) -> str | None:
    """``3 days late``, or ``None`` when on time. A preparation is due the day before its
    interview and listed until the interview starts, so one still listed after its due day
    is for an interview later today: never late, just now."""
    if action.due >= today:
        return None
    return lateness(action.due, action.kind, today)


def lateness(due: date, kind: str, today: date) -> str:
    """:func:`late` of an action of ``kind`` (its value will do) due on ``due``, before
    ``today``: what a card read as a record (no ``Action``) says."""
    if kind == ActionKind.PREPARE_INTERVIEW:
        return "the interview is today"
    return f"{plural((today - due).days, 'day')} late"


def clock(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


@functools.lru_cache(maxsize=256)
def window(w: ContactWindow) -> str:
    """``Tue, Thu 10:00-12:00`` or ``Mon-Fri 09:00-11:00``; either part may be missing.

    Remembered: the planner words a window in each call's reason, a few times per
    application, and a search has few distinct windows.
    """
    parts = []
    if w.days:
        parts.append(", ".join(_day_runs(sorted(w.days))))
    if w.hours is not None:
        parts.append(f"{clock(w.hours[0])}-{clock(w.hours[1])}")
    return " ".join(parts) or "any time"


def _day_runs(days: list[int]) -> list[str]:
    """Three or more days in a row read as a range: ``Mon-Fri``."""
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return [
        f"{_DAY_NAMES[r[0]]}-{_DAY_NAMES[r[-1]]}"
        if len(r) >= 3
        else ", ".join(_DAY_NAMES[d] for d in r)
        for r in runs
    ]


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def days(count: int) -> str:
    """A policy's number of days as the user set it: ``a week`` only for 7 (RULES.md,
    "Words the product uses"), else ``1 day``, ``10 days``."""
    return "a week" if count == 7 else plural(count, "day")


def passed(count: int) -> str:
    """``a week has passed``, ``1 day has passed``, ``3 days have passed``."""
    return f"{days(count)} {'has' if count in (1, 7) else 'have'} passed"


def every(count: int) -> str:
    """``once a week``, ``once a day``, ``once every 10 days``."""
    if count == 7:
        return "once a week"
    return "once a day" if count == 1 else f"once every {count} days"


def article(word: str) -> str:
    """``an interview``, ``a call``: the article a word takes (by its first letter)."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def weekday_codes(days: frozenset[int]) -> list[str]:
    return [WEEKDAYS[d] for d in sorted(days)]


def tel_uri(phone: str) -> str:
    """``tel:+351912345678`` from a number already in international format."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
