"""Business days, holidays, contact windows and local dates (RULES.md, "Words")."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from followup.adapters.holidays import HolidaysPackage
from followup.domain.calendar import Calendar
from tests.builders import d, window


def test_a_business_day_is_its_own_next_business_day() -> None:
    assert Calendar().next_business_day(d("2026-03-04")) == d("2026-03-04")  # Wednesday


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2026-03-07", "2026-03-09"), ("2026-03-08", "2026-03-09"), ("2026-03-06", "2026-03-06")],
)
def test_weekends_move_to_monday(day: str, expected: str) -> None:
    assert Calendar().next_business_day(d(day)) == d(expected)


def test_holidays_are_not_business_days() -> None:
    cal = Calendar(holidays={d("2026-03-09"), d("2026-03-10")})
    assert cal.next_business_day(d("2026-03-07")) == d("2026-03-11")


def test_holidays_come_from_the_holidays_package() -> None:
    cal = Calendar(holidays=HolidaysPackage()("PT"))
    assert not cal.is_business_day(d("2026-06-10"))  # Portugal Day, a Wednesday
    assert cal.next_business_day(d("2026-12-25")) == d("2026-12-28")  # Christmas, a Friday
    assert cal.is_business_day(d("2026-06-11"))
    us = Calendar(holidays=HolidaysPackage()("US"))
    assert us.next_business_day(d("2026-07-03")) == d("2026-07-06")  # observed Independence Day


def test_no_country_means_weekends_only() -> None:
    cal = Calendar(holidays=HolidaysPackage()(None))
    assert cal.is_business_day(d("2026-12-25"))


def test_supported_countries() -> None:
    source = HolidaysPackage()
    assert source.is_supported("pt")
    assert not source.is_supported("XX")


def test_call_days_follow_the_window() -> None:
    cal = Calendar()
    tue_thu = window("tue,thu")
    assert cal.next_call_day(d("2026-03-13"), tue_thu) == d("2026-03-17")  # Fri -> Tue
    assert cal.next_call_day(d("2026-03-17"), tue_thu) == d("2026-03-17")
    assert cal.next_call_day(d("2026-03-18"), tue_thu) == d("2026-03-19")


def test_a_holiday_in_the_window_moves_the_call_to_the_next_window_day() -> None:
    cal = Calendar(holidays={d("2026-03-17")})
    assert cal.next_call_day(d("2026-03-16"), window("tue,thu")) == d("2026-03-19")


def test_a_weekend_only_window_falls_back_to_business_days() -> None:
    cal = Calendar()
    assert cal.next_call_day(d("2026-03-13"), window("sat,sun")) == d("2026-03-13")


def test_a_window_without_days_allows_any_business_day() -> None:
    assert Calendar().next_call_day(d("2026-03-14"), window("")) == d("2026-03-16")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", "2026-03-02"),
        ("Europe/Lisbon", "2026-03-02"),
        ("Asia/Kolkata", "2026-03-03"),
        ("America/New_York", "2026-03-02"),
    ],
)
def test_days_are_local_dates(zone: str, expected: str) -> None:
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert Calendar(ZoneInfo(zone)).local_date(moment) == d(expected)


def test_local_dates_across_the_dst_change() -> None:
    lisbon = Calendar(ZoneInfo("Europe/Lisbon"))
    # Summer time starts on 2026-03-29 at 01:00 UTC: 23:30 UTC is already the next day.
    assert lisbon.local_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == d("2026-03-28")
    assert lisbon.local_date(datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == d("2026-03-30")
