"""What a list, a board or a calendar shows: an application's line with its next action,
an interview with its application.

Apart from :mod:`followup.domain.model` so that the commands that show neither
(``followup today``, a write) do not create these classes at start-up: making a frozen
dataclass costs about half a millisecond (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from followup.domain.model import Action, Status


@dataclass(frozen=True, slots=True)
class Listed:
    """An application as a list or a board shows it, with its next action if any."""

    id: str
    company: str
    position: str
    status: Status
    applied_on: date | None
    next_action: Action | None = None


@dataclass(frozen=True, slots=True)
class Scheduled:
    """An interview with the application it belongs to, for a calendar."""

    application: str
    company: str
    position: str
    interview_id: str
    at: datetime
    #: The names of the interviewers, in the order they were recorded.
    interviewers: tuple[str, ...] = ()
