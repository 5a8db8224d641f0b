"""What the Insights figures read (issue 14): a few columns of every application in a
period, in four plain queries, without building whole records (no contacts, no notes)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING

from followup.adapters.sqlite.batched import Batched
from followup.adapters.sqlite.columns import day_of, iso_day
from followup.domain.model import (
    Channel,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Status,
    Touch,
)

if TYPE_CHECKING:  # the figures' module loads with the first figures asked for
    from followup.domain.insights import Record

#: The applications of the period; ``added`` is R9's day added (applied, else recorded).
_CHOSEN = (
    "SELECT id FROM application"
    " WHERE (:first IS NULL OR coalesce(applied_on, recorded_on) >= :first)"
    " AND (:last IS NULL OR coalesce(applied_on, recorded_on) <= :last)"
)


#: Enum members by value: a dict lookup is several times cheaper than calling the enum, and
#: a search of 100,000 applications has a few hundred thousand values to turn.
_CHANNELS = {c.value: c for c in Channel}
_PURPOSES = {p.value: p for p in Purpose}
_OUTCOMES = {o.value: o for o in Outcome}
_DECISIONS = {d.value: d for d in Decision}
STATUSES = {s.value: s for s in Status}


def touch_of(
    touch_id: str,
    at: datetime,
    channel: str,
    purpose: str,
    outcome: str,
    contact: str | None,
    decision: str | None,
) -> Touch:
    """A touch's figure columns as a :class:`Touch` (the PostgreSQL store's figures too)."""
    return Touch(
        touch_id,
        at,
        _CHANNELS[channel],
        _PURPOSES[purpose],
        _OUTCOMES[outcome],
        contact=contact,
        decision=_DECISIONS[decision] if decision else None,
    )


class SqliteFigures(Batched):
    """Mixed into the repository; works on its connection."""

    def insight_records(self, first: date | None, last: date | None) -> list[Record]:
        from followup.domain.insights import Record  # noqa: PLC0415

        args = {"first": iso_day(first), "last": iso_day(last)}
        chosen = _CHOSEN
        c = self.conn
        interviewers: dict[tuple[str, str], list[str]] = defaultdict(list)
        for app_id, iv_id, cid in c.execute(
            "SELECT application_id, interview_id, contact_id FROM interviewer"
            f" WHERE application_id IN ({chosen}) ORDER BY application_id, interview_id, seq",
            args,
        ):
            interviewers[(app_id, iv_id)].append(cid)
        interviews: dict[str, list[Interview]] = defaultdict(list)
        for app_id, iv_id, at, cancelled in c.execute(
            "SELECT application_id, id, at, cancelled FROM interview"
            f" WHERE application_id IN ({chosen}) ORDER BY application_id, seq",
            args,
        ):
            interviews[app_id].append(
                Interview(
                    iv_id,
                    datetime.fromisoformat(at),
                    tuple(interviewers.get((app_id, iv_id), ())),
                    cancelled=bool(cancelled),
                )
            )
        touches: dict[str, list[Touch]] = defaultdict(list)
        for app_id, t_id, at, channel, purpose, outcome, cid, decision in c.execute(
            "SELECT application_id, id, at, channel, purpose, outcome, contact_id, decision"
            f" FROM touch WHERE application_id IN ({chosen}) ORDER BY application_id, seq",
            args,
        ):
            touches[app_id].append(
                touch_of(t_id, datetime.fromisoformat(at), channel, purpose, outcome, cid, decision)
            )
        rows = c.execute(
            "SELECT id, company_key, status, applied_on, recorded_on, source FROM application"
            f" WHERE id IN ({chosen}) ORDER BY id",
            args,
        )
        return [
            Record(
                app_id,
                key,
                STATUSES[status],
                day_of(applied) or day_of(recorded),
                source,
                tuple(interviews.get(app_id, ())),
                tuple(touches.get(app_id, ())),
            )
            for app_id, key, status, applied, recorded, source in rows
        ]
