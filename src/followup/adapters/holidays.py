"""Public holidays from the ``holidays`` package, as the plain container the calendar wants.

The package costs about 100 ms to import and to load a country, so each country-year
it computes is kept: in memory for the process, and in the database (a
:class:`HolidayCache`) for the next process. The read path of ``followup today``
never needs holidays at all; a write needs the package only for a year not cached yet.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date
from functools import cache
from typing import Protocol


class HolidayCache(Protocol):
    def get(self, country: str, year: int) -> dict[date, str] | None: ...
    def put(self, country: str, year: int, days: dict[date, str]) -> None: ...
    def clear(self) -> None: ...


class CountryHolidays:
    def __init__(self, country: str, store: HolidayCache | None) -> None:
        self.country = country
        self.store = store
        self._years: dict[int, dict[date, str]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return day in self._year(day.year)

    def get(self, day: date) -> str | None:
        """The holiday's name, for ``explain`` ("Fri 3 Apr 2026 is Good Friday")."""
        return self._year(day.year).get(day)

    def _year(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._load(year)
        return found

    def _load(self, year: int) -> dict[date, str]:
        if self.store is not None:
            stored = self.store.get(self.country, year)
            if stored is not None:
                return stored
        import holidays  # noqa: PLC0415 - heavy: only for a year not cached yet

        found = dict(holidays.country_holidays(self.country, years=year).items())
        if self.store is not None:
            self.store.put(self.country, year, found)
        return found


class _NoHolidays:
    def __contains__(self, day: object) -> bool:
        return False


class HolidaysPackage:
    """The :class:`~followup.services.ports.HolidaySource` backed by ``holidays``."""

    def __init__(self, store: HolidayCache | None = None) -> None:
        self.store = store
        self._countries: dict[str, CountryHolidays] = {}

    def __call__(self, country: str | None) -> Container[date]:
        if not country:
            return _NoHolidays()
        if country not in self._countries:
            self._countries[country] = CountryHolidays(country, self.store)
        return self._countries[country]

    def is_supported(self, country: str) -> bool:
        return country.upper() in _supported()

    def forget(self) -> None:
        """Drop every cached year (a new release may know new holidays)."""
        self._countries.clear()
        if self.store is not None:
            self.store.clear()


@cache
def _supported() -> frozenset[str]:
    import holidays  # noqa: PLC0415

    return frozenset(holidays.list_supported_countries())
