"""The plan as an iCalendar file (RFC 5545), written as a stream.

The ``icalendar`` package built the whole calendar as objects and folded every line with
a regular expression: 84 s and 2.4 GB for the 176,000 events of a backlog of 100,000
applications. A calendar of all-day and timed events needs little of it, so the text is
written here, one event at a time, straight to the output; ``icalendar`` stays in the
tests as the parser that reads back every file made.

Text comes from the user (company names, notes, contact names), so every value is made
safe before it is written: control characters are dropped, line breaks become the
escaped ``\\n`` of a TEXT value (never a new content line), and ``\\``, ``;`` and ``,``
are escaped. A note can therefore never add a property, an alarm or an event. Times
carry their zone (``DTSTART;TZID=Europe/Lisbon:...``) and the file holds the matching
VTIMEZONE, so calendar apps keep wall-clock times across DST changes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

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
#: Anything either of the two above would change: most text has none, and is kept as is.
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: RFC 5545, 3.1: a content line is folded after 75 octets, its continuation starting
#: with one space (which counts in the next 75).
LINE_OCTETS = 75
#: The zone's rules are written for a year either side of the events, for clients that
#: expand a little around them (not a library's default of 1970-2038).
ZONE_MARGIN = timedelta(days=366)
#: Events written to the output at once: one write and one encoding per batch, not per
#: event (issue 12: 200,000 writes were a tenth of a backlog's calendar), and a batch's
#: text stays small (about 0.5 MB).
BATCH = 1000


class Output(Protocol):
    """Where the calendar goes: a file opened in binary, stdout's buffer, a spool."""

    def write(self, data: bytes, /) -> object: ...


def clean(text: str, *, one_line: bool = False) -> str:
    """``text`` as iCalendar TEXT may carry it: line breaks as ``\\n`` (or spaces)."""
    if _ODD.search(text):
        text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    return " ".join(text.split()) if one_line else text


def escape(value: str) -> str:
    """RFC 5545, 3.3.11: backslash first, then ``;``, ``,`` and the line feed.

    A typed ``\\N`` stays two characters (``\\\\N``): only a real line feed becomes ``\\n``.
    """
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8 with its CRLF, folded at 75 octets, never inside a
    character (a cut UTF-8 sequence is not text to the reader on either side of it)."""
    return (_folded(line) + "\r\n").encode()


def _folded(line: str) -> str:
    """:func:`fold` without the final CRLF, as text: most lines are ASCII, where a
    character is an octet and the cuts are plain slices (issue 12: folding bytes was a
    quarter of ``ics`` at 100,000 applications)."""
    if line.isascii():
        if len(line) <= LINE_OCTETS:
            return line
        rest = LINE_OCTETS - 1
        return "\r\n ".join(
            [line[:LINE_OCTETS], *(line[i : i + rest] for i in range(LINE_OCTETS, len(line), rest))]
        )
    data = line.encode()
    if len(data) <= LINE_OCTETS:
        return line
    parts = []
    start, room = 0, LINE_OCTETS
    while len(data) - start > room:
        cut = start + room
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[start:cut])
        start, room = cut, LINE_OCTETS - 1
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()  # each part is whole UTF-8


def write(entries: Iterable[Entry], *, name: str, now: datetime, timezone: str) -> bytes:
    """A VCALENDAR of ``entries`` (in the order given), as bytes; the zone's rules cover
    the span of the events. :func:`stream` writes a large calendar without holding it."""
    found = list(entries)
    days = [_day(e.start) for e in found] + [now.date()]
    out = io.BytesIO()
    stream(out, found, name=name, now=now, timezone=timezone, span=(min(days), max(days)))
    return out.getvalue()


def stream(
    out: Output,
    entries: Iterable[Entry],
    *,
    name: str,
    now: datetime,
    timezone: str,
    span: tuple[date, date],
) -> None:
    """Write a VCALENDAR of ``entries`` to ``out``, one event at a time, stamped ``now``:
    the same input gives the same bytes. ``span``: the first and last days of the events,
    known before they are read, so the zone's rules can come first."""
    tzid = _param(timezone)
    out.write(_header(clean(name, one_line=True), timezone))
    out.write(vtimezone(timezone, span[0] - ZONE_MARGIN, span[1] + ZONE_MARGIN))
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    times: dict[tuple[object, ...], str] = {}
    batch: list[str] = []
    for entry in entries:
        batch.append(_event(entry, tzid, stamp, times))
        if len(batch) == BATCH:
            out.write("".join(batch).encode())
            batch.clear()
    batch.append("END:VCALENDAR\r\n")
    out.write("".join(batch).encode())


def _header(name: str, timezone: str) -> bytes:
    hours = REFRESH.seconds // 3600
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape(PRODID)}",
        "METHOD:PUBLISH",
        f"NAME:{escape(name)}",
        f"X-WR-CALNAME:{escape(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:PT{hours}H",
        "UID:followup-plan",
        f"X-PUBLISHED-TTL:PT{hours}H",  # Outlook's name for the refresh interval
        f"X-WR-TIMEZONE:{escape(timezone)}",
    ]
    return b"".join(fold(line) for line in lines)


def _event(entry: Entry, tzid: str, stamp: str, times: dict[tuple[object, ...], str]) -> str:
    """One VEVENT, as text. ``times``: the DTSTART and DTEND lines made so far (a calendar
    has few distinct days and hours, and many events).

    :func:`clean` and :func:`fold` are called only for the values and lines that need
    them (most need neither), and both time lines are remembered as one: the same text
    as calling them on every line, for a third less of the work (issue 12: a backlog's
    calendar has 200,000 events)."""
    summary, uid, text = entry.summary, entry.uid, entry.description
    if _odd(summary) or _odd(uid) or _odd(text):
        summary, uid, text = clean(summary), clean(uid), clean(text)
    summary = " ".join(summary.split())
    uid = " ".join(uid.split())
    summary = f"SUMMARY:{escape(summary)}"
    uid = f"UID:{escape(uid)}"
    text = f"DESCRIPTION:{escape(text)}"
    start, end = entry.start, entry.end
    key = (start, end, getattr(start, "tzinfo", None), getattr(end, "tzinfo", None))
    when = times.get(key)
    if when is None:
        when = times[key] = (
            f"{_folded(f'DTSTART{_when(start, tzid)}')}\r\n{_folded(f'DTEND{_when(end, tzid)}')}"
        )
    return (
        f"BEGIN:VEVENT\r\n"
        f"{summary if len(summary) <= LINE_OCTETS and summary.isascii() else _folded(summary)}\r\n"
        f"{when}\r\nDTSTAMP:{stamp}\r\n"
        f"{uid if len(uid) <= LINE_OCTETS and uid.isascii() else _folded(uid)}\r\n"
        f"{text if len(text) <= LINE_OCTETS and text.isascii() else _folded(text)}\r\n"
        f"{'TRANSP:OPAQUE' if entry.busy else 'TRANSP:TRANSPARENT'}\r\nEND:VEVENT\r\n"
    )


_odd = _ODD.search


def _when(value: date | datetime, tzid: str) -> str:
    """A property's parameters and value: a local time in the user's zone, or a day."""
    if isinstance(value, datetime):  # formatted by hand: strftime was a tenth of the time
        return (
            f";TZID={tzid}:{value.year:04d}{value.month:02d}{value.day:02d}"
            f"T{value.hour:02d}{value.minute:02d}{value.second:02d}"
        )
    return f";VALUE=DATE:{value.year:04d}{value.month:02d}{value.day:02d}"


def _param(value: str) -> str:
    """A parameter value, quoted when it holds what would end it (RFC 5545, 3.1)."""
    value = clean(value, one_line=True).replace('"', "")
    return f'"{value}"' if any(ch in value for ch in ":;,") else value


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# --- the zone's rules --------------------------------------------------------------------


def vtimezone(timezone: str, first: date, last: date) -> bytes:
    """The VTIMEZONE of ``timezone`` from ``first`` to ``last``: its offset on ``first``,
    then one observance per change of offset or name, read from the system's zone data.

    Each observance's DTSTART is the local time just before the change, in the offset it
    changes from (RFC 5545, 3.6.5); one observance each keeps the text plain to check.
    """
    tz = ZoneInfo(timezone)
    start = datetime.combine(first, time(), tz)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{escape(timezone)}"]
    before = start
    lines += _observance(start.replace(tzinfo=None), before, before)
    for at in _changes(tz, start.astimezone(UTC), datetime.combine(last, time(), UTC)):
        old, new = (at - timedelta(seconds=1)).astimezone(tz), at.astimezone(tz)
        local = at.replace(tzinfo=None) + _offset(old)
        lines += _observance(local, old, new)
    lines.append("END:VTIMEZONE")
    return b"".join(fold(line) for line in lines)


def _observance(local: datetime, old: datetime, new: datetime) -> list[str]:
    kind = "DAYLIGHT" if new.dst() else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{local.strftime('%Y%m%dT%H%M%S')}",
        f"TZNAME:{escape(new.tzname() or 'local')}",
        f"TZOFFSETFROM:{_utc_offset(_offset(old))}",
        f"TZOFFSETTO:{_utc_offset(_offset(new))}",
        f"END:{kind}",
    ]


def _changes(tz: ZoneInfo, start: datetime, end: datetime) -> Iterator[datetime]:
    """The instants (UTC, to the second) at which the zone's offset or name changes.

    Read a day at a time, then narrowed by halving: zones change at most a few times a
    year, and never twice within a day.
    """
    day = timedelta(days=1)
    at, shown = start, _shown(start, tz)
    while at < end:
        nxt = at + day
        if _shown(nxt, tz) != shown:
            low, high = at, nxt  # the change is after low, at or before high
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) // 2
                if _shown(middle, tz) == shown:
                    low = middle
                else:
                    high = middle
            yield high
            shown = _shown(high, tz)
        at = nxt


def _shown(at: datetime, tz: ZoneInfo) -> tuple[timedelta | None, str | None]:
    local = at.astimezone(tz)
    return local.utcoffset(), local.tzname()


def _offset(local: datetime) -> timedelta:
    offset = local.utcoffset()
    assert offset is not None  # a time in a ZoneInfo zone always has one
    return offset


def _utc_offset(offset: timedelta) -> str:
    """``+0100``, ``-0330``, or ``+001415`` for an offset with seconds (old local times)."""
    sign = "-" if offset < timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")
