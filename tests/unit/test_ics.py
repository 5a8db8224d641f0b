"""The iCalendar writer, checked by another reader: every file made here is parsed back by
the ``icalendar`` package (and its zone rules by dateutil, through it), over text chosen
to break a hand-written writer: commas, semicolons, backslashes, line breaks, long
lines, emoji and CJK."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Timezone

from followup.domain.agenda import Entry
from followup.formats import ics

NOW = datetime(2026, 3, 25, 8, tzinfo=UTC)

#: Text a user may type, weighted towards what iCalendar treats specially.
ODD = st.lists(
    st.one_of(
        st.sampled_from(
            [",", ";", "\\", "\n", "\r\n", ":", '"', " ", "é", "👩🏽‍💻", "中文", "東京"]
        ),
        st.text(st.characters(codec="utf-8"), max_size=8),
        st.text("abc ", min_size=60, max_size=200),  # a long line, to be folded
    ),
    max_size=12,
).map("".join)
# icalendar's parser, the oracle here, reads a backslash before N or n wrongly (it turns
# "\\N" into "\\n" before unescaping backslashes); the writer's side is pinned below.
TEXT = ODD.filter(lambda t: "\\n" not in t and "\\N" not in t)


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def lines_of(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


@given(ODD)
def test_a_folded_line_unfolds_to_itself_and_no_line_cuts_a_character(text: str) -> None:
    line = f"DESCRIPTION:{ics.escape(ics.clean(text))}"  # as written: no line break left
    folded = ics.fold(line)
    for part in lines_of(folded):
        assert len(part) <= ics.LINE_OCTETS
        part.decode()  # each physical line is whole UTF-8: no sequence cut by a fold
    assert folded[:-2].replace(b"\r\n ", b"").decode() == line


def test_a_line_is_folded_at_75_octets_counting_the_leading_space() -> None:
    assert ics.fold("x" * 75) == b"x" * 75 + b"\r\n"
    assert lines_of(ics.fold("x" * 76)) == [b"x" * 75, b" x"]
    assert lines_of(ics.fold("x" * 150)) == [b"x" * 75, b" " + b"x" * 74, b" x"]
    # A four-octet emoji that would straddle the 75th octet moves whole to the next line.
    first, second = lines_of(ics.fold("x" * 73 + "😀" + "y"))
    assert (first, second) == (b"x" * 73, " 😀y".encode())


@given(ODD)
def test_escaping_leaves_no_bare_separator(text: str) -> None:
    escaped = ics.escape(ics.clean(text))
    assert "\n" not in escaped
    assert "\r" not in escaped
    unescaped = escaped.replace("\\\\", "")  # what is left: only escapes of , ; and n
    for ch in ",;":
        assert unescaped.count(ch) == unescaped.count(f"\\{ch}")


def entry_of(uid: int, summary: str, description: str, timed: bool, day: int) -> Entry:
    start = date(2026, 3, 25) + timedelta(days=day)
    if timed:
        at = datetime.combine(start, time(10), ZoneInfo("Europe/Lisbon"))
        return Entry(f"e{uid}@followup", summary, description, at, at + timedelta(hours=2))
    return Entry(f"e{uid}@followup", summary, description, start, start + timedelta(days=1))


calendars = st.lists(
    st.tuples(TEXT, TEXT, st.booleans(), st.integers(0, 400)), min_size=1, max_size=8
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(found=calendars, name=TEXT)
def test_every_calendar_reads_back_event_by_event(
    found: list[tuple[str, str, bool, int]], name: str
) -> None:
    made = [entry_of(i, *item) for i, item in enumerate(found)]
    out = io.BytesIO()
    span = (date(2026, 3, 25), date(2027, 5, 1))
    ics.stream(out, made, name=name, now=NOW, timezone="Europe/Lisbon", span=span)
    data = out.getvalue()
    assert all(len(line) <= ics.LINE_OCTETS for line in lines_of(data))
    calendar = Calendar.from_ical(data)
    # icalendar leaves a calendar's own TEXT properties escaped: undone here by the RFC.
    assert unescape(str(calendar["NAME"])) == ics.clean(name, one_line=True)
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"] + ["VEVENT"] * len(made)
    assert calendar.get_missing_tzids() == set()
    for entry, event in zip(made, calendar.walk("VEVENT"), strict=True):
        assert event.subcomponents == []
        assert str(event["UID"]) == entry.uid
        assert str(event["SUMMARY"]) == ics.clean(entry.summary, one_line=True)
        assert str(event["DESCRIPTION"]) == ics.clean(entry.description)
        assert event.decoded("DTSTART") == entry.start
        assert event.decoded("DTEND") == entry.end
        assert event.decoded("DTSTAMP") == NOW


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Lisbon",
        "America/New_York",
        "Australia/Sydney",  # summer time in the southern half of the year
        "Australia/Lord_Howe",  # a half-hour change
        "Asia/Kolkata",  # no change at all, a half-hour offset
        "America/Sao_Paulo",  # dropped summer time in 2019
        "Europe/Dublin",  # "standard" time in summer, by law
        "Etc/UTC",
    ],
)
def test_the_zone_rules_give_the_offset_of_every_local_time(zone: str) -> None:
    """The VTIMEZONE, read by dateutil (through icalendar), gives every local time of the
    span the offset the system's zone data gives it, as a calendar app resolves an event's
    wall-clock time: each hour, and each side of every change to the minute. (A time that
    a change skips or repeats has no one answer and is left out.)"""
    first, last = date(2017, 1, 1), date(2021, 12, 31)
    data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n"
    data += ics.vtimezone(zone, first, last) + b"END:VCALENDAR\r\n"
    (found,) = Calendar.from_ical(data).walk("VTIMEZONE")
    assert isinstance(found, Timezone)
    theirs, ours = found.to_tz(lookup_tzid=False), ZoneInfo(zone)

    def check(local: datetime) -> None:
        if local.replace(tzinfo=ours).utcoffset() != local.replace(tzinfo=ours, fold=1).utcoffset():
            return  # skipped or repeated by a change
        assert local.replace(tzinfo=theirs).utcoffset() == local.replace(tzinfo=ours).utcoffset()

    at = datetime.combine(first, time()) + timedelta(days=1)
    changes = 0
    while at < datetime.combine(last, time()):
        check(at)
        later = at + timedelta(hours=1)
        if later.replace(tzinfo=ours).utcoffset() != at.replace(tzinfo=ours).utcoffset():
            changes += 1
            for minutes in range(-90, 150):
                check(at + timedelta(minutes=minutes))
        at = later
    expected = {"Asia/Kolkata": 0, "Etc/UTC": 0, "America/Sao_Paulo": 5}
    assert changes == expected.get(zone, 10)


def test_the_same_entries_give_the_same_bytes() -> None:
    made = [entry_of(i, "Call, then 中文", "x;y\n" * 30, i % 2 == 0, i) for i in range(5)]
    first = ics.write(made, name="followup", now=NOW, timezone="Europe/Lisbon")
    assert ics.write(list(made), name="followup", now=NOW, timezone="Europe/Lisbon") == first
