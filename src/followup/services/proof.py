"""``followup report`` and the Report page: the proof of applications for a period.

The period is given as the user says days (``2026-03-01``, ``today``, ``-30d``) and read
in their time zone; left out, it is the current month up to today, the span an agency
usually asks about. One read transaction; the applications are read in batches, and only
the lines of the period are kept.
"""

from __future__ import annotations

from datetime import date, datetime

from followup.domain import proof as domain
from followup.domain.when import DateInputError, parse_day
from followup.errors import InvalidInput
from followup.services.session import Deps


def period(
    deps: Deps,
    first: str | None,
    last: str | None,
    now: datetime,
    labels: tuple[str, str] = ("from", "to"),
) -> tuple[date, date]:
    """The period ``[first, last]`` from what was typed; by default this month to today.

    ``InvalidInput`` names the field (``labels``: the form's or the options' names) that
    is not a day, or says the period ends before it starts.
    """
    with deps.store.reading() as repo:
        today = now.astimezone(repo.load_settings().tz).date()
    end = _day(last, today, labels[1]) if last else today
    start = _day(first, today, labels[0]) if first else end.replace(day=1)
    if start > end:
        raise InvalidInput(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            field=labels[1],
        )
    return start, end


def proof(deps: Deps, first: date, last: date, now: datetime) -> domain.Proof:
    with deps.store.reading() as repo:
        settings = repo.load_settings()
        return domain.proof(
            repo.applications(),
            first,
            last,
            tz=settings.tz,
            timezone=settings.timezone,
            name=settings.name,
            now=now,
        )


def _day(text: str, today: date, field: str) -> date:
    try:
        return parse_day(text, today)
    except DateInputError as e:
        raise InvalidInput(f"{field}: {e}", field=field) from None
