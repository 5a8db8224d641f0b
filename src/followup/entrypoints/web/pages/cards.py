"""What an action card shows, and what its buttons did (shared by the pages that hold cards).

A card is the action as the store keeps it (its record), its contact and whether mail can
go; :mod:`.card_html` writes it out, addresses and all. Measured on a Today page of 15k
cards (issue 12), a card included per action with its macros imported ``with context``
spent most of the page in Jinja2: a macro module built and two files checked for changes
per card, and six ``urlencode`` calls; even imported once, the macro was half of a page,
and building an ``Action`` and then a card from it another third (see :mod:`.card_html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from followup.domain.model import (
    Action,
    ActionKind,
    Application,
    Channel,
    Contact,
)
from followup.formats.plan import to_record
from followup.services import (
    listing,
)
from followup.services.planning import Record
from followup.services.session import Deps


class Buttons(StrEnum):
    """Which buttons a card has (one branch of :func:`.card_html.card_html`)."""

    EMAIL = "email"  # a draft, Send and Mark sent
    WITHDRAW = "withdraw"  # a call script, then "I told them"
    CALL = "call"  # a call script and the outcome form
    GIVE_UP = "give_up"
    FIND_CONTACT = "find_contact"
    DEBRIEF = "debrief"
    PREPARE = "prepare"
    APPLY_MORE = "apply_more"


@dataclass(frozen=True, slots=True)
class Card:
    """An action's card: the action as the store keeps it (a record: no ``Action`` built on
    a page of cards, issue 12), its contact, and whether mail can go from here.
    :mod:`.card_html` writes it out."""

    record: Record
    contact: Contact | None
    can_send: bool


def cards(deps: Deps, actions: list[Action]) -> list[Card]:
    """The cards of these actions (a page that holds ``Action`` objects: one application's,
    one company's, a refused card): their contacts and whether mail can go, read at once."""
    return cards_of([to_record(a) for a in actions], listing.card_details(deps, actions))


def cards_of(
    records: list[Record], details: tuple[dict[tuple[str, str], Contact], bool]
) -> list[Card]:
    """The cards of these records, with what ``listing.card_details`` (or
    ``record_details_in``) found."""
    contacts, can_send = details
    return [Card(r, contacts.get(contact_key(r)), can_send) for r in records]


def contact_key(record: Record) -> tuple[str, str]:
    """The (application, contact id) of a record's contact: R10 may borrow another
    application's HR (``contact_application``), as :attr:`Action.contact_owner` says."""
    return (
        record.get("contact_application") or record["application"] or "",
        record["contact"] or "",
    )


def buttons(record: Record) -> Buttons | None:
    """Which buttons the card of ``record`` has."""
    kind = record["kind"]
    either = kind in (ActionKind.APPLICATION_FOLLOW_UP, ActionKind.WITHDRAW)
    if kind in (ActionKind.THANK_YOU_EMAIL, ActionKind.STATUS_EMAIL) or (
        either and record["channel"] == Channel.EMAIL
    ):
        return Buttons.EMAIL
    return _OTHER_BUTTONS.get(kind)


# Keyed by the kinds' values: a record holds the text (StrEnum members equal their text).
_OTHER_BUTTONS: dict[str, Buttons] = {
    ActionKind.WITHDRAW: Buttons.WITHDRAW,
    ActionKind.STATUS_CALL: Buttons.CALL,
    ActionKind.APPLICATION_FOLLOW_UP: Buttons.CALL,
    ActionKind.GIVE_UP: Buttons.GIVE_UP,
    ActionKind.FIND_CONTACT: Buttons.FIND_CONTACT,
    ActionKind.DEBRIEF: Buttons.DEBRIEF,
    ActionKind.PREPARE_INTERVIEW: Buttons.PREPARE,
    ActionKind.APPLY_MORE: Buttons.APPLY_MORE,
}


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
    #: What the change broke that it was allowed to (a touch within R13's spacing, R7).
    warnings: tuple[str, ...] = ()
    #: Why nothing is left planned, in the case's own words (domain.idle): never "keep
    #: applying" once an offer is accepted (R20).
    idle: str | None = None
