"""Builders with sensible defaults (STYLE habit 6): tests say only what matters to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from followup.domain.calendar import Calendar
from followup.domain.model import (
    WEEKDAYS,
    Application,
    Channel,
    Contact,
    ContactWindow,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
)

UTC_CAL = Calendar()
LISBON = ZoneInfo("Europe/Lisbon")


def at(day: str, hour: int = 10, minute: int = 0, tz: Any = UTC) -> datetime:
    """``at("2026-03-02", 10)``: an aware instant, UTC unless told."""
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tz)


def d(day: str) -> date:
    return date.fromisoformat(day)


def contact(cid: str = "ana", **overrides: Any) -> Contact:
    base = Contact(
        id=cid,
        name=cid.title() + " Example",
        role=Role.INTERVIEWER,
        email=f"{cid}@acme.example",
        phone="+351 912 345 678",
        name_confirmed=True,
    )
    return replace(base, **overrides)


def hr(cid: str = "hr", **overrides: Any) -> Contact:
    return contact(cid, role=Role.HR, name="Rui Lopes", **overrides)


def interview(when: datetime | str = "2026-03-02", iid: str = "iv1", **overrides: Any) -> Interview:
    moment = at(when) if isinstance(when, str) else when
    base = Interview(
        id=iid,
        at=moment,
        interviewers=("ana",),
        contacts_every_applicant=True,
        direct_contact_ok=True,
    )
    return replace(base, **overrides)


def touch(
    when: datetime | str,
    outcome: Outcome | str = Outcome.NO_ANSWER,
    purpose: Purpose | str = Purpose.STATUS,
    tid: str | None = None,
    **overrides: Any,
) -> Touch:
    moment = at(when, 11) if isinstance(when, str) else when
    out = Outcome(outcome)
    channel = Channel.EMAIL if out in (Outcome.SENT, Outcome.REPLIED) else Channel.PHONE
    base = Touch(
        id=tid or f"t-{moment.isoformat()}-{out.value}",
        at=moment,
        channel=overrides.pop("channel", channel),
        purpose=Purpose(purpose),
        outcome=out,
        contact=overrides.pop("contact", "ana"),
    )
    return replace(base, **overrides)


def thanked(when: datetime | str = "2026-03-04", cid: str = "ana") -> Touch:
    return touch(when, Outcome.SENT, Purpose.THANK_YOU, contact=cid)


def application(app_id: str = "acme-backend", **overrides: Any) -> Application:
    """An active application at Acme with Ana (an interviewer with email and phone)."""
    base = Application(
        id=app_id,
        company="Acme",
        position="Backend Engineer",
        status=Status.ACTIVE,
        applied_on=d("2026-02-20"),
        contacts=(contact("ana"),),
    )
    return replace(base, **overrides)


def window(days: str = "tue,thu", start: str = "10:00", end: str = "12:00") -> ContactWindow:
    return ContactWindow(
        frozenset(WEEKDAYS.index(x) for x in days.split(",") if x),
        time.fromisoformat(start),
        time.fromisoformat(end),
    )
