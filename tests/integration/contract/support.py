"""What several contract modules build: plans of an application, and planned rows by id."""

from __future__ import annotations

from datetime import UTC, datetime

from followup.domain.mailbox import OutboxEntry, OutboxState
from followup.domain.model import Application, Purpose
from followup.domain.planner import Planned, plan_company_over_time
from followup.domain.policy import Policy
from tests.builders import UTC_CAL, at

#: An instant before anything the tests plan: the stored plans are exact from it on.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def by_id(planned: list[Planned]) -> dict[str, Planned]:
    """Stored rows come back in no particular order: compare them keyed."""
    return {p.action.id + str(p.valid_from): p for p in planned}


def plans_of(app: Application) -> list[Planned]:
    ((_, planned),) = plan_company_over_time([app], Policy(), UTC_CAL, accepted=False)
    return planned


def outgoing(app_id: str, message_id: str, state: OutboxState = OutboxState.SENDING) -> OutboxEntry:
    """An email to Ana about ``app_id`` as the outbox stores it (its id is given on adding)."""
    return OutboxEntry(
        id=0,
        action_id=f"status:{app_id}",
        application=app_id,
        contact="ana",
        purpose=Purpose.STATUS,
        message_id=message_id,
        sender="maria@example.org",
        recipient="ana@acme.example",
        subject="Backend Engineer",
        message=b"Subject: Backend Engineer\r\n\r\nHello\r\n",
        state=state,
        error=None,
        created_at=at("2026-03-09", 9),
        updated_at=at("2026-03-09", 9),
    )
