"""``followup stats`` and the Insights page (issue 14): the figures of a period.

One read transaction: the few columns the figures need for every application of the
period (:meth:`~followup.services.ports.Listings.insight_records`), then the whole records
of the companies where status follow-ups were made, a batch of companies at a time, to
find when each was due (:mod:`followup.domain.punctuality`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING

from followup.domain.insights import Insights, Timing, insights
from followup.domain.punctuality import timings
from followup.errors import InvalidInput
from followup.services.planning import calendar_for
from followup.services.session import Deps

if TYPE_CHECKING:
    from followup.domain.calendar import Calendar
    from followup.domain.insights import Record
    from followup.domain.settings import Settings
    from followup.services.ports import Repository

#: Companies whose whole records are held at once while timing their follow-ups.
COMPANY_BATCH = 200


def stats(deps: Deps, now: datetime, first: date | None, last: date | None) -> Insights:
    """The figures of the applications added from ``first`` to ``last`` (local days)."""
    if first is not None and last is not None and first > last:
        raise InvalidInput(
            f"--from {first.isoformat()} is after --to {last.isoformat()}", field="from"
        )
    with deps.store.reading() as repo:
        settings = repo.load_settings()
        calendar = calendar_for(settings, deps.holidays)
        records = repo.insight_records(first, last)
        found = timed(repo, settings, calendar, records)
    return insights(records, found, settings.policy, calendar, now, first, last)


def timed(
    repo: Repository, settings: Settings, calendar: Calendar, records: list[Record]
) -> list[Timing]:
    """The status follow-ups of ``records``, each with the day it was due (in ``repo``'s
    read transaction): also a coach's caseload's "done late" (services/coaching.py)."""
    followed: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if any(t.is_attempt for t in r.touches):
            followed[r.company_key].add(r.id)
    found: list[Timing] = []
    keys = sorted(followed)
    for start in range(0, len(keys), COMPANY_BATCH):
        members = repo.company_members(keys[start : start + COMPANY_BATCH])
        apps = {a.id: a for a in repo.load(i for ids in members.values() for i in ids)}
        for key, ids in members.items():
            company = [apps[i] for i in ids if i in apps]
            found += timings(company, settings.policy, calendar, followed[key])
    return found
