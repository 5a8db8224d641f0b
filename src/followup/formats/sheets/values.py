"""A cell read as what followup records: a status, a day, a web address, a line of text.

Each reader returns the value or raises ``ValueError`` with the reason in a few words
(``not a date: 31/02/2026``); :mod:`.rows` adds the row and the column.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, time, tzinfo
from typing import Final

from followup.domain.model import Status
from followup.formats.cells import restored
from followup.formats.sheets.columns import words
from followup.formats.sheets.files import Cell

#: A row whose status says the job was only saved, not applied for (skipped by default).
SAVED: Final = "saved"

#: What trackers and people write in a status column, as :func:`words` gives it. Huntr's
#: lists (Wishlist, Applied, Interviewing, Offer, Rejected), Teal's statuses (Bookmarked,
#: Applying, Applied, Interviewing, Negotiating, Accepted, and its archive reasons),
#: career-ops' states (Evaluated, Applied, Responded, Interview, Offer, Rejected,
#: Discarded, SKIP) and followup's own values are all here.
STATUS_WORDS: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "wishlist",
            "wish list",
            "saved",
            "bookmarked",
            "bookmark",
            "interested",
            "to apply",
            "not applied",
            "not yet applied",
            "applying",
            "planned",
            "evaluated",
            "skip",
            "draft",
            "watching",
        ),
        SAVED,
    ),
    **dict.fromkeys(
        (
            "active",
            "applied",
            "application sent",
            "submitted",
            "sent",
            "open",
            "pending",
            "waiting",
            "in progress",
            "in review",
            "under review",
            "reviewing",
            "responded",
            "screening",
            "phone screen",
            "screen",
            "assessment",
            "take home",
            "interview",
            "interviews",
            "interviewing",
            "interviewed",
            "interview scheduled",
            "technical interview",
            "final round",
            "onsite",
            "on site",
            "follow up",
            "followed up",
        ),
        Status.ACTIVE.value,
    ),
    **dict.fromkeys(
        ("offer", "offered", "offer received", "negotiating", "negotiation"), Status.OFFER.value
    ),
    **dict.fromkeys(
        ("accepted", "offer accepted", "hired", "signed", "accepted offer"), Status.ACCEPTED.value
    ),
    **dict.fromkeys(
        (
            "rejected",
            "rejection",
            "not selected",
            "unsuccessful",
            "declined by company",
            "turned down",
            "position filled",
            "closed",
        ),
        Status.REJECTED.value,
    ),
    **dict.fromkeys(
        (
            "withdrawn",
            "withdrew",
            "i withdrew",
            "withdraw",
            "discarded",
            "declined",
            "offer declined",
            "not interested",
            "no longer interested",
        ),
        Status.WITHDRAWN.value,
    ),
    **dict.fromkeys(
        (
            "no response",
            "no_response",
            "no reply",
            "no answer",
            "ghosted",
            "unresponsive",
            "no news",
            "silence",
        ),
        Status.NO_RESPONSE.value,
    ),
}
#: What ``--status TEXT=STATUS`` may say a status means.
STATUS_TARGETS: Final = (*(s.value for s in Status), SAVED)


def status(cell: Cell, extra: dict[str, str]) -> str:
    """The followup status (or :data:`SAVED`) a status cell says; an empty one: applied."""
    said = words(_markdown(text(cell) or ""))
    if not said:
        return Status.ACTIVE.value
    found = extra.get(said) or STATUS_WORDS.get(said)
    if found is None:
        raise ValueError(f"not a status followup knows: {text(cell)}")
    return found


def text(cell: Cell) -> str | None:
    """A cell as text, trimmed; ``None`` when empty (a whole number stays whole: ``3``).

    A formula's start kept as text behind a quote (as ``followup export`` and others write
    it, :mod:`followup.formats.cells`) is read without the quote."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = cell.isoformat(sep=" ") if isinstance(cell, datetime) else restored(str(cell))
    return value.strip() or None


_LINK_TEXT = re.compile(r"^\[([^\]]*)\]\(([^)\s]*)\)$")
_EMPHASIS = re.compile(r"^(\*\*|__|\*|_|~~|`)(.+)\1$")


def _markdown(value: str) -> str:
    """A markdown table's cell as plain text (``**Applied**`` -> ``Applied``)."""
    value = value.strip()
    link = _LINK_TEXT.match(value)
    if link:
        value = link.group(1)
    while (m := _EMPHASIS.match(value)) is not None:
        value = m.group(2).strip()
    return value


def plain(cell: Cell) -> str | None:
    value = text(cell)
    return _markdown(value) or None if value is not None else None


_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_BARE_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")


def link(cell: Cell) -> str | None:
    """A job ad's address: http(s), or a bare ``www.site/...`` taken as https."""
    value = text(cell)
    if value is None:
        return None
    md = _LINK_TEXT.match(value)
    if md:
        value = md.group(2)
    lowered = value.lower()
    if lowered.startswith(("http://", "https://")) and " " not in value:
        return value
    if not _SCHEME.match(value) and _BARE_HOST.match(value):
        return f"https://{value}"
    raise ValueError(f"not a web address: {value}")


#: A date written year first (ISO 8601, ``2026/03/02``): never read day first.
_YEAR_FIRST = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Two days no two parts of which are alike: a part missing from the text shows as a
#: difference between the two readings of it.
_DEFAULTS: Final = (datetime(2001, 1, 1), datetime(2002, 2, 2))  # noqa: DTZ001 - no zone meant


def day(cell: Cell, *, dayfirst: bool, tz: tzinfo) -> date | None:
    """The day a cell says: a workbook's real date, or text in a common form.

    Text goes to python-dateutil's parser (``7/6/23, 2:20 PM``, ``6 Jul 2023``,
    ``2023-07-06``); ``dayfirst`` reads ``03/04/2026`` as 3 April. Text missing the
    year, month or day is refused rather than completed with today's. A time with a
    UTC offset is counted in the user's zone.
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime):
        return cell.astimezone(tz).date() if cell.tzinfo is not None else cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell) or ""
    if isinstance(cell, (int, float, time)) or not value:
        raise ValueError(f"not a date: {value}")
    parsed = _parse(_markdown(value), dayfirst)
    if parsed is None:
        raise ValueError(f"not a date: {value}")
    if parsed is _INCOMPLETE:
        raise ValueError(f"not a whole date (day, month and year): {value}")
    return parsed.astimezone(tz).date() if parsed.tzinfo is not None else parsed.date()


#: What :func:`_parse` returns for text that lacks a part of a date.
_INCOMPLETE: Final = datetime(1, 1, 1)  # noqa: DTZ001 - a marker, never a day


@functools.lru_cache(maxsize=4096)  # a sheet repeats its days: each is parsed once
def _parse(value: str, dayfirst: bool) -> datetime | None:
    """``value`` read as a date-time; ``None`` if it is not one, :data:`_INCOMPLETE` if a
    part is missing."""
    if _ISO_DAY.match(value):  # the most common form, read without the parser
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    from dateutil import parser  # noqa: PLC0415 - only an import reads dates this way

    year_first = bool(_YEAR_FIRST.match(value))
    readings = []
    for default in _DEFAULTS:
        try:
            reading: datetime = parser.parse(
                value, default=default, dayfirst=dayfirst and not year_first, yearfirst=year_first
            )
        except (ValueError, OverflowError):  # ParserError is a ValueError
            return None
        readings.append(reading)
        if all(getattr(reading, p) != getattr(default, p) for p in ("year", "month", "day")):
            return reading  # no part equals the default's: none was taken from it
    first, second = readings
    return first if first.date() == second.date() else _INCOMPLETE
