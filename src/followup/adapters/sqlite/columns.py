"""How values are written into columns and read back, shared by the store's modules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from followup.domain.model import WEEKDAYS, Contact, ContactWindow, Role


def ts(moment: datetime) -> str:
    """UTC, fixed width: text order is time order, in SQL too."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def offset_minutes(moment: datetime) -> int:
    """The offset an instant was given with, kept beside its UTC text to show it back."""
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def moment_of(text: str, minutes: int) -> datetime:
    """The instant stored as UTC ``text``, shown back with the offset it was given with."""
    tz = UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
    return datetime.fromisoformat(text).astimezone(tz)


def day_of(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def iso_day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def bool_of(value: int | None) -> bool | None:
    """An optional flag: NULL stays unknown."""
    return None if value is None else bool(value)


def int_of(value: bool | None) -> int | None:
    return None if value is None else int(value)


def window_columns(window: ContactWindow | None) -> tuple[str | None, str | None, str | None]:
    if window is None:
        return (None, None, None)
    return (
        ",".join(WEEKDAYS[d] for d in sorted(window.days)),
        window.start.isoformat("minutes") if window.start else None,
        window.end.isoformat("minutes") if window.end else None,
    )


def window_of(days: str | None, start: str | None, end: str | None) -> ContactWindow | None:
    if days is None:
        return None
    return ContactWindow(
        days=frozenset(WEEKDAYS.index(d) for d in days.split(",") if d),
        start=time.fromisoformat(start) if start else None,
        end=time.fromisoformat(end) if end else None,
    )


def contact_from_row(r: Any) -> Contact:
    """A contact from ``application_id, id, name, role, email, phone, name_confirmed,
    email_failed_on``."""
    return Contact(r[1], r[2], Role(r[3]), r[4], r[5], bool(r[6]), day_of(r[7]))
