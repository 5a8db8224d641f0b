"""The .ics export from a real database, read back with ``icalendar``: golden file, DST,
stable UIDs, privacy, and text that cannot inject anything."""

from __future__ import annotations

import copy
import os
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Component

from followup.domain.agenda import Detail, Entry
from followup.errors import InvalidFile
from followup.formats import ics
from followup.services import agenda, completion
from followup.services.planning import PlanReader, calendar_for, replan_all
from followup.services.session import Deps
from tests.agenda_support import NOTES, NOW, SAMPLE, job_search

GOLDEN = Path(__file__).parent.parent / "golden" / "plan.ics"
LISBON = ZoneInfo("Europe/Lisbon")


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    return job_search(tmp_path / "calendar.db")


def events(data: bytes) -> dict[str, Component]:
    calendar = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_export_matches_the_golden_file(deps: Deps) -> None:
    """Regenerate after a deliberate change: FOLLOWUP_UPDATE_GOLDEN=1 pytest -k golden."""
    data = agenda.calendar(deps, NOW)
    if os.environ.get("FOLLOWUP_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()


def test_every_event_reads_back_as_planned(deps: Deps) -> None:
    found = events(agenda.calendar(deps, NOW))
    assert sorted(found) == [
        "apply_more@followup",
        "interview:acme-backend:iv1@followup",
        "interview:globex-data:iv1@followup",
        "interview:initech-frontend:iv1@followup",
        "prepare_interview:initech-frontend:iv1@followup",
        "status:acme-backend@followup",
        "status:globex-data@followup",
        "thank_you_email:globex-data:iv1:bruno@followup",
    ]
    call = found["status:acme-backend@followup"]
    # R7 then R11: after the promised answer date (Fri 27), on a Tuesday, when the window
    # opens: 10:00 in Lisbon, which is summer time by then (the clocks moved on Sunday 29).
    assert call.decoded("DTSTART") == datetime(2026, 3, 31, 10, tzinfo=LISBON)
    assert call.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert call.decoded("DTEND") == datetime(2026, 3, 31, 12, tzinfo=LISBON)
    assert str(call["SUMMARY"]) == "Call for news: Ana Sousa (Acme, Backend Engineer)"
    assert "Ask for Ana Sousa." in str(call["DESCRIPTION"])
    assert str(call["TRANSP"]) == "TRANSPARENT"
    overdue = found["thank_you_email:globex-data:iv1:bruno@followup"]
    assert overdue.decoded("DTSTART") == date(2026, 3, 25)  # due Mon 23, shown on today
    interview = found["interview:initech-frontend:iv1@followup"]
    assert interview.decoded("DTSTART") == datetime(2026, 3, 30, 10, tzinfo=LISBON)
    assert str(interview["TRANSP"]) == "OPAQUE"
    assert str(found["status:globex-data@followup"]["SUMMARY"]).startswith(
        "Email for news: Bruno Marques (Globex; Data, Inc.\\, Data Analyst)"
    )
    assert Calendar.from_ical(agenda.calendar(deps, NOW)).get_missing_tzids() == set()


def test_phones_and_notes_only_when_asked(deps: Deps) -> None:
    private = agenda.calendar(deps, NOW).decode()
    assert "912" not in private
    assert "on-call" not in private
    shown = events(agenda.calendar(deps, NOW, detail=Detail(notes=True, phones=True)))
    text = str(shown["status:acme-backend@followup"]["DESCRIPTION"])
    assert "Phone: +351 912 345 678" in text
    assert f"Notes: {NOTES}" in text  # read back exactly, quotes, newline and backslash too


def test_exporting_again_gives_the_same_uids_and_a_done_action_leaves(deps: Deps) -> None:
    first = agenda.calendar(deps, NOW)
    assert agenda.calendar(deps, NOW) == first
    later = NOW + timedelta(hours=2)
    completion.complete(deps, "thank_you_email:globex-data:iv1:bruno", now=later)
    after = events(agenda.calendar(deps, later))
    assert set(after) == set(events(first)) - {"thank_you_email:globex-data:iv1:bruno@followup"}


def test_an_overdue_action_is_one_event_on_today(deps: Deps) -> None:
    data = agenda.calendar(deps, NOW).decode()
    assert data.count("UID:thank_you_email:globex-data:iv1:bruno@followup\r\n") == 1
    later = NOW + timedelta(days=3)  # three more days late: still one event, on that day
    moved = events(agenda.calendar(deps, later))["thank_you_email:globex-data:iv1:bruno@followup"]
    assert moved.decoded("DTSTART") == later.date()
    assert agenda.calendar(deps, later).count(b"UID:thank_you_email:globex-data") == 1


def test_days_limits_the_actions_not_the_past_interviews(deps: Deps) -> None:
    found = events(agenda.calendar(deps, NOW, days=0))
    assert "status:acme-backend@followup" not in found
    assert "thank_you_email:globex-data:iv1:bruno@followup" in found  # overdue: today
    assert "interview:acme-backend:iv1@followup" in found  # nine days ago


@pytest.mark.parametrize(
    ("zone", "interview"),
    [
        # A Tuesday interview at 10:00 local; the call a week later, on the Tuesday after
        # the clocks change (R6, R11), at 10:00 local again.
        ("Europe/Lisbon", "2026-03-24T10:00:00+00:00"),  # WET -> WEST on Sun 29 Mar
        ("America/New_York", "2026-03-03T15:00:00+00:00"),  # EST -> EDT on Sun 8 Mar
        ("Australia/Sydney", "2026-03-30T23:00:00+00:00"),  # AEDT -> AEST on Sun 5 Apr
        ("Europe/Lisbon", "2026-10-20T09:00:00+00:00"),  # WEST -> WET on Sun 25 Oct
    ],
)
def test_a_call_window_keeps_its_wall_clock_time_across_dst(
    tmp_path: Path, zone: str, interview: str
) -> None:
    tz = ZoneInfo(zone)
    held = datetime.fromisoformat(interview).astimezone(tz)
    assert held.time() == time(10)
    sample = copy.deepcopy(SAMPLE)
    sample["settings"] = {"timezone": zone}
    app = sample["applications"][0]
    app["interviews"][0] |= {"at": interview, "answer_by": None}
    app["touches"] = []
    sample["applications"] = [app]
    expected = datetime.combine(held.date() + timedelta(days=7), time(10), tz)
    for days_later in range(1, 8):  # read before and after the change, up to the day itself
        now = datetime.fromisoformat(interview) + timedelta(days=days_later)
        deps = job_search(tmp_path / f"{days_later}.db", now, sample)
        call = events(agenda.calendar(deps, now))["status:acme-backend@followup"]
        deps.store.close()  # type: ignore[attr-defined]
        start, end = call.decoded("DTSTART"), call.decoded("DTEND")
        assert (start, end) == (expected, expected.replace(hour=12))
        assert start.tzinfo.key == zone
    assert expected.utcoffset() != held.utcoffset()  # the clocks did change in between


# --- injection -----------------------------------------------------------------------------

PAYLOADS = [
    "Acme\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\nACTION:AUDIO\r\nEND:VALARM",
    "Acme\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil@x\nSUMMARY:pwned",
    "Acme;X-INJECTED=1:oops,more\\",
    "Acme\rATTENDEE:mailto:boss@example.com",
    "Acme\x0bvertical\x1bescape\x7fdel",
]


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if any(ch < " " for ch in p)])
def test_a_hostile_text_is_refused_in_one_line_fields(tmp_path: Path, payload: str) -> None:
    sample = copy.deepcopy(SAMPLE)
    sample["applications"][0]["contacts"][0]["name"] = payload
    with pytest.raises(InvalidFile, match=r"contacts\[0\]\.name: contains a"):
        job_search(tmp_path / "hostile.db", NOW, sample)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_text_in_any_field_stays_inside_its_value(tmp_path: Path, payload: str) -> None:
    """Import refuses control characters (as add does), but a database written by an older
    followup may hold them: they are put straight into the store, and stay harmless."""
    deps = job_search(tmp_path / "hostile.db", NOW)
    with deps.store.writing() as repo:
        (old,) = repo.load(["acme-backend"])
        app = replace(
            old,
            company=payload,
            position=payload,
            notes=payload,
            contacts=(replace(old.contacts[0], name=payload, phone="+351 912 345 678"),),
        )
        repo.put(app)
        settings = repo.load_settings()
        replan_all(repo, settings, calendar_for(settings, deps.holidays), NOW)
    data = agenda.calendar(deps, NOW, detail=Detail(notes=True, phones=True))
    calendar = Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == 8
    assert calendar.walk("VALARM") == []
    lines = data.decode().split("\r\n")
    for marker in ("BEGIN:VALARM", "UID:evil", "ATTENDEE", "X-INJECTED", "SUMMARY:pwned"):
        assert not any(line.startswith(marker) for line in lines)
    assert all(ch >= " " for line in lines for ch in line)  # no control character on any line
    found = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert "evil@x" not in found


# icalendar's parser, the oracle here, reads a backslash before N or n wrongly (it turns
# "\\N" into "\\n" before unescaping backslashes); the writer's side is pinned below.
texts = st.text(st.characters(codec="utf-8"), max_size=40).filter(
    lambda t: "\\n" not in t and "\\N" not in t
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(summary=texts, description=texts)
def test_any_text_round_trips_cleaned_and_never_adds_a_component(
    summary: str, description: str
) -> None:
    entry = Entry("u@followup", summary, description, date(2026, 3, 25), date(2026, 3, 26))
    data = ics.write([entry], name=summary, now=NOW, timezone="Etc/UTC")
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert event.subcomponents == []
    assert str(event["SUMMARY"]) == ics.clean(summary, one_line=True)
    assert str(event["DESCRIPTION"]) == ics.clean(description)
    assert str(event["UID"]) == "u@followup"


def test_a_typed_backslash_stays_a_backslash() -> None:
    entry = Entry("u@followup", "a\\Nb, c;", "x\\ny\nz", date(2026, 3, 25), date(2026, 3, 26))
    lines = ics.write([entry], name="n", now=NOW, timezone="Etc/UTC").decode().split("\r\n")
    assert "SUMMARY:a\\\\Nb\\, c\\;" in lines
    assert "DESCRIPTION:x\\\\ny\\nz" in lines


def test_clean_keeps_line_breaks_as_text_and_drops_control_characters() -> None:
    assert ics.clean("a\r\nb\rc\nd\x00e\x1bf\tg") == "a\nb\nc\ndefg"
    assert ics.clean("  a\n b\r\n", one_line=True) == "a b"


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e"])
def test_every_unicode_line_break_is_an_icalendar_line_break(brk: str) -> None:
    """Issue 11: a raw U+2028 reached the feed, a line break to some readers only."""
    assert ics.clean(f"a{brk}b\x9bc") == "a\nbc"  # and C1 controls (CSI) dropped
    entry = Entry(
        "u@followup", f"Call{brk}Ana", f"first{brk}second", date(2026, 3, 25), date(2026, 3, 26)
    )
    data = ics.write([entry], name="n", now=NOW, timezone="Etc/UTC").decode()
    assert not set(data) & {"\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e"}
    lines = data.split("\r\n")
    assert "SUMMARY:Call Ana" in lines
    assert "DESCRIPTION:first\\nsecond" in lines


def test_the_refresh_interval_is_stated_for_every_client(deps: Deps) -> None:
    calendar: Any = Calendar.from_ical(agenda.calendar(deps, NOW))
    assert calendar.decoded("REFRESH-INTERVAL") == ics.REFRESH
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Lisbon"


def test_the_calendar_reads_in_any_order_what_the_ordered_reads_give(deps: Deps) -> None:
    """The calendar reads the stored plan and the interviews in the store's cheapest order
    and sorts them itself (issue 12): the same actions and interviews, interviewers in
    their order, as the reads in FORMAT.md's and time order."""
    start, end = NOW - timedelta(days=90), NOW + timedelta(days=400)
    with deps.store.reading() as repo:
        plan = PlanReader(repo, deps.holidays, NOW)
        for lines in (True, False):
            ordered = list(plan.stream(365, lines=lines))
            assert sorted(plan.unordered(365, lines=lines), key=lambda a: a.sort_key) == ordered
        assert len(ordered) >= 5
        in_time = repo.interviews_between(start, end)
        scanned = repo.interviews_between(start, end, ordered=False)
    assert sorted(scanned, key=lambda s: (s.at, s.application, s.interview_id)) == in_time
    assert len(in_time) == 3
    assert any(s.interviewers for s in in_time)
