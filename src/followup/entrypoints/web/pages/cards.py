"""What an action card shows, and what its buttons did (shared by the pages that hold cards)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from followup.domain.model import (
    Action,
    Application,
)
from followup.services import (
    listing,
)
from followup.services.session import Deps


def cards(deps: Deps, actions: list[Action]) -> list[dict[str, Any]]:
    """What an action card needs: the action, its contact's links, whether mail can go."""
    contacts, can_send = listing.card_details(deps, actions)
    return [
        {
            "action": action,
            "contact": contacts.get((action.contact_owner or "", action.contact or "")),
            "can_send": can_send,
        }
        for action in actions
    ]


@dataclass(frozen=True, slots=True)
class Notice:
    """What an action card's button did, shown above the page it came from.

    Made for one response and never cached (:func:`.rendering.cached` keeps GET pages only).
    """

    summary: str
    application: Application | None
    next: list[Action]
    #: Whether the change moved the application's status (worth saying, R9).
    status_changed: bool = False
    #: The history entry an Undo button beside the notice reverts.
    undo: int | None = None
