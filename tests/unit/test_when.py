"""Dates people type (issue 2, "Dates people type")."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from followup.domain.when import (
    DateInputError,
    parse_day,
    parse_moment,
    parse_now,
    parse_window,
    repeated,
    twice_note,
)
from followup.entrypoints.presenting import local_time
from tests.builders import d

TUESDAY = d("2026-03-03")
LISBON = ZoneInfo("Europe/Lisbon")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-02", "2026-03-02"),
        ("today", "2026-03-03"),
        ("Today", "2026-03-03"),
        ("tomorrow", "2026-03-04"),
        ("yesterday", "2026-03-02"),
        ("wednesday", "2026-03-04"),
        ("tuesday", "2026-03-10"),  # the next one, never today
        ("tue", "2026-03-10"),
        ("monday", "2026-03-09"),
        ("+3d", "2026-03-06"),
        ("+2w", "2026-03-17"),
        ("-1d", "2026-03-02"),
        (" +0d ", "2026-03-03"),
    ],
)
def test_days_people_type(text: str, expected: str) -> None:
    assert parse_day(text, TUESDAY) == d(expected)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "next week", "3d", "+3m", "", "2026-13-01", "+99999d"]
)
def test_anything_else_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(DateInputError, match=r"not a date|too far|out of range") as e:
        parse_day(text, TUESDAY)
    assert "\n" not in str(e.value)
    if "not a date" in str(e.value):
        assert "tomorrow" in str(e.value)


@pytest.mark.parametrize(
    "text",
    ["Tue 3 Mar 2026", "tue 3 mar 2026", "Tue, 3 Mar 2026", "3 Mar 2026", "3 March 2026",
     " Tuesday  3 mar 2026 ", "03 Mar 2026"],
)  # fmt: skip
def test_a_day_as_the_app_writes_it_is_read_back(text: str) -> None:
    """Forms show dates as the app writes them (issue 8), so those are taken back."""
    assert parse_day(text, d("2026-01-01")) == d("2026-03-03")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 3 Mar 2026", "3 Mar 2026 is a Tuesday"),
        ("Tue 30 Feb 2026", "is not a day of the calendar"),
        ("3 Mrz 2026", "'mrz' is not a month"),
        ("Foo 3 Mar 2026", "'foo' is not a day of the week"),
        ("3 Mar 1850", "out of range"),
    ],
)
def test_a_written_day_that_does_not_hold_is_refused(text: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        parse_day(text, TUESDAY)


def test_a_moment_as_the_app_writes_it() -> None:
    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert parse_moment("Tue 3 Mar 2026 10:00", now, LISBON) == datetime(
        2026, 3, 3, 10, tzinfo=LISBON
    )


def test_moments_are_wall_clock_time_in_the_user_zone() -> None:
    now = datetime(2026, 3, 3, 9, tzinfo=UTC)
    assert parse_moment("2026-07-01T10:00", now, LISBON) == datetime(2026, 7, 1, 9, tzinfo=UTC)
    assert parse_moment("2026-03-05 14:30", now, LISBON) == datetime(
        2026, 3, 5, 14, 30, tzinfo=LISBON
    )
    assert parse_moment("thursday 9:00", now, LISBON) == datetime(2026, 3, 5, 9, tzinfo=LISBON)
    assert parse_moment("tomorrow 10:00", now, LISBON).date() == d("2026-03-04")
    explicit = parse_moment("2026-03-05T10:00:00+02:00", now, LISBON)
    assert explicit.utcoffset() is not None
    assert explicit.astimezone(UTC).hour == 8


@pytest.mark.parametrize(
    "text",
    ["2026-03-05", "tuesday", "thursday 25:00", "someday 10:00", "10:00", "2026-03-29 01:30"],
)
def test_bad_moments_are_refused(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_moment(text, datetime(2026, 3, 3, 9, tzinfo=UTC), LISBON)


def test_a_time_skipped_by_dst_is_refused_by_name() -> None:
    with pytest.raises(DateInputError, match="daylight-saving"):
        parse_moment("2026-03-29 01:30", datetime(2026, 3, 3, tzinfo=UTC), LISBON)


def test_now_with_an_offset_is_that_instant_and_without_one_is_left_to_the_users_zone() -> None:
    assert parse_now("2026-03-09T08:00:00+00:00") == datetime(2026, 3, 9, 8, tzinfo=UTC)
    assert parse_now("2026-03-09T08:00:00Z") == datetime(2026, 3, 9, 8, tzinfo=UTC)
    # naive: bootstrap reads it in the database's time zone (tests/e2e: --now 2026-03-09)
    assert parse_now("2026-03-09T08:00:00") == datetime(2026, 3, 9, 8)  # noqa: DTZ001
    assert parse_now("2026-03-09") == datetime(2026, 3, 9)  # noqa: DTZ001
    with pytest.raises(DateInputError, match="ISO 8601"):
        parse_now("monday")


@pytest.mark.parametrize(
    ("text", "days", "hours"),
    [
        ("tue,thu 10:00-12:00", {1, 3}, (time(10), time(12))),
        ("tue, thu 10-12", {1, 3}, (time(10), time(12))),
        ("mon-wed", {0, 1, 2}, None),
        ("fri-mon 9:30-11:00", {4, 5, 6, 0}, (time(9, 30), time(11))),
        ("weekdays 14-16", {0, 1, 2, 3, 4}, (time(14), time(16))),
        ("9-11", set(), (time(9), time(11))),
    ],
)
def test_contact_windows(text: str, days: set[int], hours: tuple[time, time] | None) -> None:
    w = parse_window(text)
    assert w.days == frozenset(days)
    assert w.hours == hours


@pytest.mark.parametrize("text", ["", "mornings", "tue 12-10", "25-26", "tue,someday"])
def test_bad_windows_are_refused(text: str) -> None:
    with pytest.raises(DateInputError):
        parse_window(text)


# --- an hour lived twice (issue 11) ----------------------------------------------------------

AUTUMN = datetime(2026, 10, 1, 9, tzinfo=UTC)


def test_a_repeated_hour_is_the_first_and_says_so() -> None:
    at = parse_moment("2026-10-25 01:30", AUTUMN, LISBON)
    assert at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # summer time
    assert twice_note(at) == (
        "2026-10-25 01:30 happens twice in Europe/Lisbon (the clocks go back): took the "
        "first, 2026-10-25 01:30+01:00; the other is 2026-10-25 01:30+00:00"
    )


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-10-25 01:30+00:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("sun 25 oct 2026 01:30+01:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("Sun 25 Oct 2026 01:30+00:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
)
def test_an_offset_chooses_which_and_needs_no_note(text: str, utc: datetime) -> None:
    at = parse_moment(text, AUTUMN, LISBON)
    assert at == utc
    assert twice_note(at) is None


def test_a_moment_shown_with_its_offset_reads_back_the_same() -> None:
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    shown = local_time(second, LISBON)
    assert shown == "Sun 25 Oct 2026 01:30+00:00"
    assert parse_moment(shown, AUTUMN, LISBON) == second
    assert local_time(datetime(2026, 10, 25, 3, tzinfo=UTC), LISBON) == "Sun 25 Oct 2026 03:00"


@pytest.mark.parametrize("text", ["2026-10-24 01:30", "2026-10-25 02:00", "2026-10-25 00:59"])
def test_an_hour_lived_once_needs_no_note(text: str) -> None:
    assert twice_note(parse_moment(text, AUTUMN, LISBON)) is None
    assert repeated(parse_moment(text, AUTUMN, LISBON)) is None


def test_a_bad_offset_is_refused() -> None:
    with pytest.raises(DateInputError, match=r"\+25:00 is not a UTC offset"):
        parse_moment("2026-10-25 01:30+25:00", AUTUMN, LISBON)
