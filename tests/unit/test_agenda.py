"""Calendar entries from the plan: wall-clock times in the user's zone, stable UIDs, privacy."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup.domain.agenda import (
    INTERVIEW_LENGTH,
    PRIVATE,
    Detail,
    Entry,
    entries,
    token_digest,
    uid,
)
from followup.domain.listed import Scheduled
from followup.domain.model import Action, ActionKind, Channel, Contact, ContactWindow
from tests.builders import at, contact, d, window

LISBON = ZoneInfo("Europe/Lisbon")
TODAY = d("2026-03-25")  # a Wednesday, the week Lisbon moves to summer time (Sun 29 Mar)


def call(due: date, **overrides: Any) -> Action:
    base: dict[str, Any] = {
        "id": "status:acme",
        "kind": ActionKind.STATUS_CALL,
        "due": due,
        "rule": "R11",
        "reason": "A call shows you are keen.",
        "application": "acme",
        "company": "Acme",
        "position": "Backend Engineer",
        "contact": "ana",
        "contact_name": "Ana Sousa",
        "channel": Channel.PHONE,
        "window": window("mon,tue,wed,thu,fri"),
    }
    return Action(**{**base, **overrides})


def one(
    action: Action,
    today: date = TODAY,
    tz: ZoneInfo = LISBON,
    contacts: dict[tuple[str, str], Contact] | None = None,
    notes: dict[str, str] | None = None,
    detail: Detail = PRIVATE,
) -> Entry:
    (entry,) = entries([action], [], today, tz, contacts or {}, notes or {}, detail)
    return entry


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Europe/Lisbon", "2026-03-27", "2026-03-30"),  # WET -> WEST, Sun 29 Mar
        ("America/New_York", "2026-03-06", "2026-03-09"),  # EST -> EDT, Sun 8 Mar
        ("Australia/Sydney", "2026-04-03", "2026-04-06"),  # AEDT -> AEST, Sun 5 Apr
        ("Europe/Lisbon", "2026-10-23", "2026-10-26"),  # WEST -> WET, Sun 25 Oct
    ],
)
def test_a_call_starts_when_its_window_opens_on_both_sides_of_a_dst_change(
    zone: str, before: str, after: str
) -> None:
    tz = ZoneInfo(zone)
    first, second = (one(call(d(day)), today=d(day), tz=tz) for day in (before, after))
    for entry, day in ((first, before), (second, after)):
        assert entry.start == datetime.combine(d(day), time(10), tz)
        assert entry.end == datetime.combine(d(day), time(12), tz)
        assert isinstance(entry.start, datetime)
        assert entry.start.tzinfo is tz  # the zone, not a fixed offset: clients keep 10:00
    # The same wall-clock time is a different UTC time once the clocks moved.
    assert isinstance(first.start, datetime)
    assert isinstance(second.start, datetime)
    assert first.start.utcoffset() != second.start.utcoffset()


def test_a_call_on_a_day_outside_its_window_or_without_hours_is_all_day() -> None:
    tuesday = call(d("2026-03-31"), window=window("thu"))
    assert one(tuesday).start == d("2026-03-31")
    no_hours = call(d("2026-03-31"), window=ContactWindow(frozenset({1})))
    entry = one(no_hours)
    assert (entry.start, entry.end) == (d("2026-03-31"), d("2026-04-01"))


def test_an_overdue_action_is_on_today_and_says_when_it_was_due() -> None:
    entry = one(call(d("2026-03-20"), window=None))
    assert (entry.start, entry.end) == (TODAY, TODAY + timedelta(days=1))
    assert entry.description.startswith("Overdue: it was due on Fri 20 Mar 2026.")


def test_a_call_says_who_to_ask_for_and_only_what_is_allowed() -> None:
    contacts = {("acme", "ana"): contact("ana", phone="+351 912 345 678")}
    notes = {"acme": "Met Ana at the meetup"}
    private = one(call(TODAY), contacts=contacts, notes=notes)
    assert "Ask for Ana Sousa." in private.description
    assert "Best time to call: Mon-Fri 10:00-12:00." in private.description
    assert "912" not in private.description
    assert "meetup" not in private.description
    shown = one(call(TODAY), contacts=contacts, notes=notes, detail=Detail(notes=True, phones=True))
    assert "Phone: +351 912 345 678" in shown.description
    assert "Notes: Met Ana at the meetup" in shown.description


def test_uids_come_from_action_ids_and_apply_more_keeps_one() -> None:
    assert one(call(TODAY)).uid == "status:acme@followup"
    assert uid("apply_more:2026-03-25") == uid("apply_more:2026-03-26") == "apply_more@followup"
    assert uid("thank_you_email:acme:iv1:ana") == "thank_you_email:acme:iv1:ana@followup"


def test_an_interview_is_timed_busy_and_names_the_interviewers() -> None:
    s = Scheduled("acme", "Acme", "Backend Engineer", "iv1", at("2026-03-30", 9), ("Ana Sousa",))
    (entry,) = entries([], [s], TODAY, LISBON, {}, {"acme": "secret"})
    assert entry.uid == "interview:acme:iv1@followup"
    assert entry.start == datetime(2026, 3, 30, 10, 0, tzinfo=LISBON)  # 09:00 UTC in WEST
    assert isinstance(entry.start, datetime)
    assert isinstance(entry.end, datetime)
    assert entry.end - entry.start == INTERVIEW_LENGTH
    assert entry.busy
    assert "With Ana Sousa." in entry.description
    assert "secret" not in entry.description


def test_entries_are_in_time_order() -> None:
    later = call(d("2026-03-27"), id="status:b")
    s = Scheduled("acme", "Acme", "Backend Engineer", "iv1", at("2026-03-26", 15))
    found = entries([later, call(TODAY)], [s], TODAY, LISBON, {}, {})
    assert [e.uid for e in found] == [
        "status:acme@followup",
        "interview:acme:iv1@followup",
        "status:b@followup",
    ]


def test_a_token_is_kept_as_its_sha256() -> None:
    digest = token_digest("abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
