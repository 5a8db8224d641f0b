"""Local dates, business days and contact windows.

A "day" is always a local date in the user's time zone (RULES.md, "Words"); the
calendar turns instants into such days and knows which days are business days. The
holidays arrive as a plain container of dates so that this module stays pure: the
adapter in ``followup.adapters.holidays`` fills it from the ``holidays`` package.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from followup.domain.model import ContactWindow

ONE_DAY = timedelta(days=1)
#: A contact window whose days never meet a business day would loop forever; after this
#: many days the window's days are ignored and the next business day is used instead.
_WINDOW_SEARCH_DAYS = 366


class _NoHolidays:
    def __contains__(self, day: object) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Calendar:
    tz: tzinfo = UTC
    holidays: Container[date] = field(default_factory=_NoHolidays)

    def local_date(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def starts(self, day: date) -> datetime:
        """The first instant whose local date is ``day`` (midnight, or later when a
        daylight-saving gap swallows midnight), in UTC."""
        moment = datetime.combine(day, time(), self.tz).astimezone(UTC)
        while self.local_date(moment) < day:  # pragma: no cover - zones with a gap at 00:00
            moment += timedelta(minutes=15)
        return moment

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's name (the ``holidays`` package gives one), or ``None``."""
        if day not in self.holidays:
            return None
        get = getattr(self.holidays, "get", None)
        name = get(day) if callable(get) else None
        return name if isinstance(name, str) and name else "a public holiday"

    def skipped(self, start: date, end: date) -> list[tuple[date, str]]:
        """The holidays between ``start`` and ``end`` (exclusive) on weekdays: what moved a
        due date beyond a weekend, for ``explain``."""
        found = []
        day = start
        while day < end:
            name = self.holiday_name(day) if day.weekday() < 5 else None
            if name is not None:
                found.append((day, name))
            day += ONE_DAY
        return found

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """``day`` itself when it is a business day, else the first one after it."""
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def next_call_day(self, day: date, window: ContactWindow | None) -> date:
        """The first business day on or after ``day`` that is one of the window's days (R11)."""
        if window is None or not window.days or not window.on_weekdays:
            return self.next_business_day(day)  # a weekend-only window places nothing
        candidate = day
        for _ in range(_WINDOW_SEARCH_DAYS):
            if candidate.weekday() in window.days and self.is_business_day(candidate):
                return candidate
            candidate += ONE_DAY
        return self.next_business_day(day)
