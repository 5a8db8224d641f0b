"""Public holidays from the ``holidays`` package, as the plain container the calendar wants.

The package is imported only when a plan is computed (on writes), never on the read
path of ``followup today``. Each year's holidays are computed once and kept as a
frozenset, since the planner asks about the same few years thousands of times.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date
from functools import cache


class CountryHolidays:
    def __init__(self, country: str) -> None:
        self.country = country
        self._years: dict[int, frozenset[date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        year = self._years.get(day.year)
        if year is None:
            import holidays  # noqa: PLC0415 - heavy, and not needed on the read path

            found = holidays.country_holidays(self.country, years=day.year)
            year = self._years[day.year] = frozenset(found.keys())
        return day in year


class _NoHolidays:
    def __contains__(self, day: object) -> bool:
        return False


class HolidaysPackage:
    """The :class:`~followup.services.ports.HolidaySource` backed by ``holidays``."""

    def __call__(self, country: str | None) -> Container[date]:
        return _for_country(country) if country else _NoHolidays()

    def is_supported(self, country: str) -> bool:
        return country.upper() in _supported()


@cache
def _for_country(country: str) -> CountryHolidays:
    return CountryHolidays(country)


@cache
def _supported() -> frozenset[str]:
    import holidays  # noqa: PLC0415

    return frozenset(holidays.list_supported_countries())
