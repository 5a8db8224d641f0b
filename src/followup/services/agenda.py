"""The plan in the user's calendar: an ``.ics`` export, and a feed at a secret address.

The feed's address holds a token of 256 random bits. Only its SHA-256 is stored, so the
address is shown once, when it is made; making a new one (rotating) replaces the stored
hash in one transaction, and the old address answers 404 from that commit on.
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
from datetime import datetime, time, timedelta

from followup.domain.agenda import (
    DEFAULT_DAYS,
    PAST_DAYS,
    PRIVATE,
    Detail,
    Feed,
    Line,
    entries,
    token_digest,
)
from followup.domain.model import Action
from followup.domain.policy import MAXIMUM
from followup.errors import InvalidInput, NotFound
from followup.formats import ics
from followup.services.planning import PlanReader
from followup.services.session import Deps

#: 32 bytes = 256 bits of randomness (at least 128 are needed to be unguessable).
TOKEN_BYTES = 32
#: What ``secrets.token_urlsafe(TOKEN_BYTES)`` gives: 43 URL-safe characters.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def calendar(
    deps: Deps, now: datetime, days: int = DEFAULT_DAYS, detail: Detail = PRIVATE
) -> bytes:
    """:func:`write_calendar` as bytes (a small calendar, the tests)."""
    out = io.BytesIO()
    write_calendar(deps, out, now, days, detail)
    return out.getvalue()


def write_calendar(
    deps: Deps, out: ics.Output, now: datetime, days: int = DEFAULT_DAYS, detail: Detail = PRIVATE
) -> None:
    """Write the plan's next ``days`` days (overdue actions once, on today) and the
    interviews from :data:`PAST_DAYS` ago to ``out``, as an iCalendar file."""
    if not 0 <= days <= MAXIMUM:
        raise InvalidInput(f"--days must be between 0 and {MAXIMUM}", field="days")
    with deps.store.reading() as repo:
        _calendar(out, PlanReader(repo, deps.holidays, now), days, detail)


def _calendar(out: ics.Output, plan: PlanReader, days: int, detail: Detail) -> None:
    repo, settings = plan.repo, plan.settings
    tz, today = settings.tz, plan.today
    # What an event shows is in the stored plan's list columns, read as tuples (issue 12:
    # decoding every whole action was a third of the time at 100,000 applications, and
    # building an ``Action`` from the columns a fifth). Only the phones need the whole
    # action: a borrowed HR contact (R10) is named by its body alone. Either is read in
    # the store's order: :func:`entries` sorts them by their place anyway.
    actions: list[Action] | list[Line] = []
    contacts = {}
    if detail.phones:
        whole = list(plan.unordered(days))
        contacts = repo.contacts_of(
            (a.contact_owner, a.contact) for a in whole if a.contact_owner and a.contact
        )
        actions = whole
    else:
        actions = list(plan.unordered_lines(days))
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=days + 1)
    interviews = repo.interviews_between(
        datetime.combine(first, time(), tz), datetime.combine(last, time(), tz), ordered=False
    )
    notes = {}
    if detail.notes:
        app_ids = {a.application for a in actions if a.application}
        notes = repo.notes_of(app_ids | {s.application for s in interviews})
    found = entries(actions, interviews, today, tz, contacts, notes, detail)
    ics.stream(
        out, found, name="followup", now=plan.now, timezone=settings.timezone, span=(first, last)
    )


def new_feed(deps: Deps, now: datetime, detail: Detail = PRIVATE) -> str:
    """Make a feed (replacing any other, whose address stops working): its secret token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with deps.store.writing() as repo:
        repo.set_feed(Feed(token_digest(token), detail, now))
    return token


def turn_off(deps: Deps) -> bool:
    """Remove the feed; False when there was none."""
    with deps.store.writing() as repo:
        had = repo.feed() is not None
        repo.set_feed(None)
    return had


def current(deps: Deps) -> Feed | None:
    with deps.store.reading() as repo:
        return repo.feed()


def feed(deps: Deps, token: str, now: datetime) -> bytes:
    """:func:`write_feed` as bytes."""
    out = io.BytesIO()
    write_feed(deps, out, token, now)
    return out.getvalue()


def write_feed(deps: Deps, out: ics.Output, token: str, now: datetime) -> None:
    """Write the calendar behind a feed address to ``out``; ``NotFound`` (nothing written)
    for any token but the current one.

    The token is checked in the same transaction that reads the plan: once a rotation is
    committed, no request can be served with the old token.
    """
    if not _TOKEN.fullmatch(token):
        raise NotFound("no such calendar")
    with deps.store.reading() as repo:
        found = repo.feed()
        if found is None or not hmac.compare_digest(found.token_sha256, token_digest(token)):
            raise NotFound("no such calendar")
        _calendar(out, PlanReader(repo, deps.holidays, now), DEFAULT_DAYS, found.detail)
