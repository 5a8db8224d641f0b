"""Coaches, with consent (issue 15, item 4): what a seeker shares and what a coach sees.

A seeker shares their search with a coach account, and may revoke it at any time; while
it is shared, the coach reads (never writes) the seeker's plan, applications and
insights, and each look is written to a log the seeker reads. Nobody else's search is
ever shown to a coach, and an admin sees no one's.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from followup.domain.insights import Timing
from followup.domain.model import ActionKind


class Looked(enum.StrEnum):
    """What a coach looked at (a row of the seeker's access log)."""

    #: The caseload (page or ``GET /api/seekers``): the seeker's overdue actions, last
    #: activity and late follow-ups.
    CASELOAD = "caseload"
    #: The plan: ``GET /api/seekers/{id}/plan`` or the seeker's Today page.
    PLAN = "plan"
    APPLICATIONS = "applications"
    INSIGHTS = "insights"


@dataclass(frozen=True, slots=True)
class Share:
    """A seeker's consent to one coach, as either of them sees it listed."""

    seeker_id: int
    seeker_email: str
    coach_email: str
    since: datetime


@dataclass(frozen=True, slots=True)
class Look:
    """Looks of one coach at one thing on one UTC day, coalesced: how many, first, last."""

    coach_email: str
    what: Looked
    day: date
    first_at: datetime
    last_at: datetime
    times: int


@dataclass(frozen=True, slots=True)
class OverdueAction:
    """What a caseload shows of one overdue action: what to do, for which company, with
    whom, and since when (the whole action is the seeker's Today's, a click away). Read
    from the stored plan without building the whole action (its script, steps, window)."""

    id: str
    kind: ActionKind
    due: date
    company: str | None
    contact_name: str | None


@dataclass(frozen=True, slots=True)
class Overdue:
    """One seeker's overdue actions as the stored plan holds them (no re-planning): how
    many (up to a cap) and the most overdue few, in FORMAT.md's order."""

    seeker_id: int
    today: date
    count: int
    first: tuple[OverdueAction, ...]
    #: When the seeker last changed anything (their newest history entry).
    last_activity: datetime | None


@dataclass(frozen=True, slots=True)
class Seeker:
    """A seeker who shares with the coach asking: the account, the time zone, and the
    change counter that tells whether what was computed for them still holds."""

    id: int
    email: str
    timezone: str
    changes: int
    #: The planner version their stored plan (and timed follow-ups) was made by; ``None``:
    #: never planned, or to be planned again (a migration forgot it).
    planned_by: str | None = None


@dataclass(frozen=True, slots=True)
class Lateness:
    """The status follow-ups done in the last days, and those done late (most late first)."""

    since: date
    compared: int
    late: tuple[Timing, ...]

    @property
    def max_days_late(self) -> int | None:
        return max((t.days_late or 0 for t in self.late), default=None)


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One line of a coach's caseload."""

    seeker: Seeker
    overdue: Overdue
    lateness: Lateness


def lateness(timings: list[Timing], since: date) -> Lateness:
    """The follow-ups done on or after ``since`` that had a due date, and the late ones."""
    recent = [t for t in timings if t.done >= since and t.due is not None]
    return late_among(since, len(recent), [t for t in recent if (t.days_late or 0) > 0])


def late_among(since: date, compared: int, late: list[Timing]) -> Lateness:
    """:class:`Lateness` of ``compared`` follow-ups and the ``late`` ones among them
    (as a store counts and selects them), the most late first."""
    ordered = sorted(late, key=lambda t: (-(t.days_late or 0), t.done, t.application, t.touch))
    return Lateness(since, compared, tuple(ordered))
