"""What every use case that records something shares: the checks and what a write returns.

The use cases themselves live by what they record: :mod:`.applications`, :mod:`.contacts`
and :mod:`.interviews`. Each function there is one transaction (a
:func:`~followup.services.session.writing` block): it validates everything first, so bad
input writes nothing, and returns what the user should see next (:class:`Saved`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from followup.domain import text, words
from followup.domain.model import (
    Action,
    Application,
)
from followup.domain.when import EARLIEST, LATEST, ahead_problem, in_range
from followup.errors import InvalidInput, Refused
from followup.formats.interchange import ID_PATTERN, ID_RULE
from followup.services.session import Session

MISSING_TEXT = "Unknown"


def slug(text: str, fallback: str = "x") -> str:
    """An id from a name: ``"Acme Corp, Backend"`` -> ``acme-corp-backend``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return value or fallback


def unique_id(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def child_id(given: str | None, base: str, taken: list[str], what: str, owner: str) -> str:
    """The id the user chose (valid and free), else one made from ``base``."""
    if given is None:
        return unique_id(base, taken)
    check_id(given, f"{what} id")
    if given in taken:
        raise Refused(f"{owner} already has {words.article(what)} {given!r}", field="id")
    return given


def check_id(value: str, what: str, field: str = "id") -> str:
    if not ID_PATTERN.match(value):
        raise InvalidInput(f"{what} {value!r} is not a valid id ({ID_RULE})", field=field)
    return value


def check_day(value: date | None, field: str) -> date | None:
    """A date given by the user, within the range a job search can have."""
    if value is not None and not in_range(value):
        raise InvalidInput(
            f"{field}: {value.isoformat()} is out of range ({EARLIEST.year} to {LATEST.year})",
            field=field,
        )
    return value


def check_moment(value: datetime | None, field: str) -> datetime | None:
    if value is not None:
        if value.tzinfo is None:
            raise InvalidInput(f"{field}: a date-time needs a UTC offset", field=field)
        check_day(value.date(), field)
    return value


def check_happened(s: Session, value: datetime, field: str) -> datetime:
    """A moment of something that happened (a touch): not on a day after today (the user's
    day), everywhere a touch is recorded or moved."""
    problem = ahead_problem(value, s.now, s.settings.tz)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}; record it once it has happened", field=field)
    return value


def check_link(value: str | None) -> str | None:
    """A job ad's address: http or https only (a ``javascript:`` link is not an address)."""
    link = check_text(value, "link")
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise InvalidInput(f"link: {link!r} is not an http(s) address", field="link")
    return link


def check_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Free text, by the one rule of :func:`followup.domain.text.clean` (limits included)."""
    if value is None:
        if required:
            raise InvalidInput(f"{what} is required", field=what)
        return None
    try:
        return text.clean(value, what, required=required)
    except ValueError as e:
        raise InvalidInput(str(e), field=what) from None


@dataclass(frozen=True, slots=True)
class Saved:
    """An application after a write, with its actions at that moment."""

    application: Application
    actions: list[Action]
    #: The seeker's local day the actions were read on, when the write knew it (an
    #: answer showing them needs no read of its own to find it).
    today: date | None = None
    #: Some application is accepted, so the search is over (R20): set where the answer
    #: speaks of the rest of the search (a status change), else False.
    search_ended: bool = False
    #: What the write broke that it is allowed to (a touch moved within R13's week, a
    #: contact window with no business day, R11), in words, to say as it is saved.
    warnings: tuple[str, ...] = ()


def _saved(session: Session, app: Application) -> Saved:
    session.save(app)
    session.replan()
    return Saved(app, session.current_actions(app.id), session.today)
