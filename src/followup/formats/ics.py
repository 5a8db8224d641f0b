"""The plan as an iCalendar file (RFC 5545), written with the ``icalendar`` package.

Text comes from the user (company names, notes, contact names), so every value is made
safe before it is written: control characters are dropped, line breaks become the
escaped ``\\n`` of a TEXT value (never a new content line), and ``icalendar`` escapes
``;``, ``,`` and ``\\``. A note can therefore never add a property, an alarm or an event.
Times carry their zone (``DTSTART;TZID=Europe/Lisbon:...``) and the file holds the
matching VTIMEZONE, so calendar apps keep wall-clock times across DST changes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from followup import __version__
from followup.domain.agenda import Entry

PRODID = f"-//followup//followup {__version__}//EN"
#: How often a subscribed calendar should fetch the feed again (whole hours).
REFRESH = timedelta(hours=1)
#: Every line break ``str.splitlines`` knows (CR LF, CR, VT, FF, FS, GS, RS, NEL, U+2028,
#: U+2029): each becomes the one iCalendar knows, a line feed. A raw U+2028 left in a
#: value is a line break to some readers and not to others.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: The control characters left (C0 but the line feed, DEL, C1): not iCalendar text.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def clean(text: str, *, one_line: bool = False) -> str:
    """``text`` as iCalendar TEXT may carry it: line breaks as ``\\n`` (or spaces)."""
    text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    return " ".join(text.split()) if one_line else text


def write(entries: Iterable[Entry], *, name: str, now: datetime, timezone: str) -> bytes:
    """A VCALENDAR of ``entries``, stamped ``now``; the same input gives the same bytes."""
    from icalendar import Calendar, Event  # noqa: PLC0415 - only the calendar commands pay for it
    from icalendar.enums import TRANSP  # noqa: PLC0415

    calendar = Calendar.new(
        prodid=PRODID, method="PUBLISH", name=clean(name, one_line=True), uid="followup-plan"
    )
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # Outlook's name for it; the value is written as icalendar writes REFRESH-INTERVAL's.
    calendar.add("x-published-ttl", f"PT{REFRESH.seconds // 3600}H")
    first = last = now.date()
    for entry in entries:
        calendar.add_component(
            Event.new(
                uid=entry.uid,
                summary=_text(clean(entry.summary, one_line=True)),
                description=_text(clean(entry.description)),
                start=entry.start,
                end=entry.end,
                stamp=now,
                transparency=TRANSP.OPAQUE if entry.busy else TRANSP.TRANSPARENT,
            )
        )
        day = _day(entry.start)
        first, last = min(first, day), max(last, day)
    # The zone's rules over the span of the events (a year either side, for clients that
    # expand a little around them), not the library's default 1970-2038.
    calendar.add_missing_timezones(first - timedelta(days=366), last + timedelta(days=366))
    return bytes(calendar.to_ical())


def _text(value: str) -> Any:
    return _text_type()(value)


@functools.cache
def _text_type() -> type:
    from icalendar import vText  # noqa: PLC0415

    class Text(vText):
        """A TEXT value escaped by RFC 5545 alone: icalendar 7 writes a typed ``\\N`` as a
        line break, taking it for an escape already made."""

        def to_ical(self) -> bytes:
            return _escape(str(self)).encode()

    return Text


def _escape(value: str) -> str:
    """RFC 5545, 3.3.11: backslash first, then ``;``, ``,`` and the line feed."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
