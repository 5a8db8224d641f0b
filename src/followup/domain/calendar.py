"""Local dates, business days and contact windows.

A "day" is always a local date in the user's time zone (RULES.md, "Words"); the
calendar turns instants into such days and knows which days are business days. The
holidays arrive as a plain container of dates so that this module stays pure: the
adapter in ``followup.adapters.holidays`` fills it from the ``holidays`` package.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

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

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """``day`` itself when it is a business day, else the first one after it."""
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def next_call_day(self, day: date, window: ContactWindow | None) -> date:
        """The first business day on or after ``day`` that is one of the window's days (R11)."""
        if window is None or not window.days:
            return self.next_business_day(day)
        candidate = day
        for _ in range(_WINDOW_SEARCH_DAYS):
            if candidate.weekday() in window.days and self.is_business_day(candidate):
                return candidate
            candidate += ONE_DAY
        return self.next_business_day(day)
