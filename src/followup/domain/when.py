"""Dates and times as people type them.

Accepted: ISO dates (``2026-03-02``), dates as the app writes them (``Mon 2 Mar 2026``,
the weekday optional and checked; ``2 March 2026``), ISO date-times (``2026-03-02T10:00``, with or
without an offset), ``today``, ``tomorrow``, ``yesterday``, weekday names (``tuesday``
or ``tue``: the next one, never today), ``+3d`` / ``+2w`` / ``-1d``; and for a moment,
any of those days followed by a time (``tuesday 10:00``). A time without an offset is
wall-clock time in the user's time zone. Anything else is refused with an example.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from followup.domain.model import WEEKDAYS, ContactWindow, InvalidWindow
from followup.domain.words import MONTHS
from followup.domain.words import day as written_day

#: The patterns are compiled by ``re`` when first matched (and kept in its cache): every
#: command imports this module, few parse a date, and compiling the four at start-up
#: cost a third of a millisecond (issue 12).
_RELATIVE = r"^([+-])(\d{1,4})([dw])$"
#: ``Mon 2 Mar 2026``, ``mon, 2 march 2026``, ``2 Mar 2026`` (lower-cased already).
_WRITTEN = r"^(?:([a-z]+)\.?,?\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$"
#: A time of day, with an optional UTC offset (``01:30+00:00``: the second of a repeated hour).
_TIME = r"^(\d{1,2}):(\d{2})([+-]\d{2}:\d{2})?$"
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_NAMES = {name: i for i, name in enumerate(WEEKDAYS)} | {
    name: i for i, name in enumerate(_FULL_WEEKDAYS)
}

#: Dates a job search can have. Outside this range date arithmetic could overflow (the
#: planner adds days), so every date that comes in is checked against it.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)

DAY_EXAMPLES = "2026-03-02, Mon 2 Mar 2026, today, tomorrow, tuesday, +3d or +2w"
MOMENT_EXAMPLES = "2026-03-02T10:00, 2026-03-02 10:00, tuesday 14:30 or tomorrow 9:00"


class DateInputError(ValueError):
    """A date or time the user typed that cannot be understood."""


def ahead_problem(at: datetime, now: datetime, tz: tzinfo) -> str | None:
    """Why a moment that has happened (a touch) cannot be ``at``: it is on a later day.

    A touch drives the plan (R13's spacing, R17's count, R19's date, R15's closing): one
    dated ahead by a typo would move or close an application for months, so it is refused,
    by the user's day, as an applied date after today is (``None``: it is fine). Later
    today is taken: a clock a little fast, or a time typed roughly, is no typo, and every
    rule counts days.
    """
    today = now.astimezone(tz).date()
    if at.astimezone(tz).date() <= today:
        return None
    return f"{_local(at, tz)} is in the future (today is {written_day(today)})"


def _local(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{written_day(local.date())} {local:%H:%M}"


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def check_day(day: date) -> date:
    if not in_range(day):
        raise DateInputError(
            f"{day.isoformat()} is out of range ({EARLIEST.year} to {LATEST.year})"
        )
    return day


def parse_day(text: str, today: date) -> date:
    """A local date from what the user typed; ``today`` anchors the relative forms."""
    value = " ".join(text.lower().split())
    return check_day(_parse_day(text, value, today))


def _parse_day(text: str, value: str, today: date) -> date:
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if value == "yesterday":
        return today - timedelta(days=1)
    if value in _WEEKDAY_NAMES:
        ahead = (_WEEKDAY_NAMES[value] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if m := re.match(_RELATIVE, value):
        sign, count, unit = m.groups()
        days = int(count) * (7 if unit == "w" else 1)
        try:
            return today + timedelta(days=days if sign == "+" else -days)
        except OverflowError:
            raise DateInputError(f"{text!r} is too far away") from None
    if m := re.match(_WRITTEN, value):
        return _written(text, *m.groups())
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise DateInputError(f"{text!r} is not a date (try {DAY_EXAMPLES})")


def _written(text: str, weekday: str | None, day: str, month: str, year: str) -> date:
    """A day as the app writes it (``Tue 3 Mar 2026``), so a form can show dates that way
    and take them back; a weekday that does not match the date is refused, not ignored."""
    months = [m.lower() for m in MONTHS]
    if len(month) < 3 or month[:3] not in months:
        raise DateInputError(f"{text!r}: {month!r} is not a month (try {DAY_EXAMPLES})")
    try:
        found = date(int(year), months.index(month[:3]) + 1, int(day))
    except ValueError:
        raise DateInputError(f"{text!r} is not a day of the calendar") from None
    if weekday is not None and weekday not in _WEEKDAY_NAMES:
        raise DateInputError(f"{text!r}: {weekday!r} is not a day of the week")
    if weekday is not None and _WEEKDAY_NAMES[weekday] != found.weekday():
        named = _FULL_WEEKDAYS[found.weekday()].capitalize()
        raise DateInputError(f"{text!r}: {day} {month.capitalize()} {year} is a {named}")
    return found


def parse_moment(text: str, now: datetime, tz: tzinfo) -> datetime:
    """An aware date-time from what the user typed, in the user's time zone ``tz``."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is not None:
        if len(value) == 10:  # a bare ISO date is not a moment
            raise DateInputError(f"{text!r} has no time of day (try {MOMENT_EXAMPLES})")
        check_day(moment.date())
        return _localize(moment, tz, text)
    day_text, _, time_text = value.rpartition(" ")
    m = re.match(_TIME, time_text)
    if not day_text or m is None:
        raise DateInputError(f"{text!r} is not a date and time (try {MOMENT_EXAMPLES})")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise DateInputError(f"{text!r}: {time_text} is not a time of day")
    try:
        day = parse_day(day_text, now.astimezone(tz).date())
    except DateInputError:
        raise DateInputError(f"{text!r} is not a date and time (try {MOMENT_EXAMPLES})") from None
    wall = datetime.combine(day, time(hour, minute))
    if m.group(3):
        try:
            given = datetime.fromisoformat(f"{wall.isoformat()}{m.group(3)}")
        except ValueError:
            raise DateInputError(f"{text!r}: {m.group(3)} is not a UTC offset") from None
        check_day(given.astimezone(UTC).date())
        return given
    return _localize(wall, tz, text)


def repeated(moment: datetime) -> tuple[datetime, datetime] | None:
    """Both moments a wall-clock time stands for when it happens twice, or ``None``.

    When the clocks go back (the autumn change) an hour is lived twice: ``2026-10-25
    01:30`` in Europe/Lisbon is 01:30+01:00, then an hour later 01:30+00:00.
    :func:`parse_moment` takes the first; the caller says so (the CLI warns, the web
    form asks), and the second is written with its offset (``01:30+00:00``), which
    :func:`parse_moment` takes as given. ``None`` for a time given with its offset.
    """
    tz = moment.tzinfo
    if tz is None or isinstance(tz, timezone):
        return None
    first, second = moment.replace(fold=0), moment.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    return first, second


def offset(moment: datetime) -> str:
    """``+01:00``: the UTC offset as written after a time."""
    return moment.isoformat(timespec="minutes")[-6:]


def twice_note(moment: datetime) -> str | None:
    """The warning for a time that happens twice, naming the one taken; else ``None``."""
    both = repeated(moment)
    if both is None:
        return None
    first, second = both
    taken, other = (first, second) if moment.fold == 0 else (second, first)
    wall = f"{moment:%Y-%m-%d %H:%M}"
    which = "first" if taken is first else "second"
    return (
        f"{wall} happens twice in {moment.tzinfo} (the clocks go back): took the {which}, "
        f"{wall}{offset(taken)}; the other is {wall}{offset(other)}"
    )


def parse_now(text: str) -> datetime:
    """``--now``: an ISO 8601 date-time with an offset (FORMAT.md), or a date or a
    date-time without one, which is naive here: the caller reads it in the user's zone
    (a plain date is the start of that day)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DateInputError(
            f"{text!r} is not an ISO 8601 date or date-time (try 2026-03-09 or "
            "2026-03-09T08:00:00+00:00)"
        ) from None
    check_day(moment.date())
    return moment


def in_zone(moment: datetime, tz: tzinfo) -> datetime:
    """A naive wall-clock time in ``tz``; ``DateInputError`` when a DST change skips it."""
    return _localize(moment, tz, moment.isoformat(sep=" "))


def _localize(moment: datetime, tz: tzinfo, text: str) -> datetime:
    if moment.tzinfo is not None:
        return moment
    aware = moment.replace(tzinfo=tz)
    # A wall-clock time skipped by a DST change does not exist; say so rather than guess.
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise DateInputError(f"{text!r} does not exist in {tz} (a daylight-saving change)")
    return aware


_HOURS = r"^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?$"
WINDOW_EXAMPLES = "tue,thu 10:00-12:00, mon-fri 14-16, weekdays, or 9:30-11:00"


def parse_window(text: str) -> ContactWindow:
    """The best days and hours to call (R3): ``tue,thu 10:00-12:00``, ``mon-wed``, ``9-11``."""
    days: set[int] = set()
    hours: tuple[time, time] | None = None
    for part in text.strip().lower().replace(", ", ",").split():
        if m := re.match(_HOURS, part):
            h1, m1, h2, m2 = (int(x) if x else 0 for x in m.groups())
            try:
                hours = (time(h1, m1), time(h2, m2))
                ContactWindow(frozenset(), *hours)
            except InvalidWindow:
                raise DateInputError(f"{part!r}: the window must end after it starts") from None
            except ValueError:
                raise DateInputError(f"{part!r} is not a range of hours") from None
            continue
        for item in part.split(","):
            days |= _day_range(item, text)
    if not days and hours is None:
        raise DateInputError(f"{text!r} is not a contact window (try {WINDOW_EXAMPLES})")
    return ContactWindow(frozenset(days), *(hours or (None, None)))


def _day_range(item: str, text: str) -> set[int]:
    if item in ("weekdays", "workdays"):
        return set(range(5))
    first, _, last = item.partition("-")
    try:
        start = _WEEKDAY_NAMES[first]
        end = _WEEKDAY_NAMES[last] if last else start
    except KeyError:
        raise DateInputError(f"{text!r} is not a contact window (try {WINDOW_EXAMPLES})") from None
    return {(start + i) % 7 for i in range((end - start) % 7 + 1)}
