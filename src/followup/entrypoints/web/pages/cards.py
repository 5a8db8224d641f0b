"""What an action card shows, and what its buttons did (shared by the pages that hold cards).

A card is made ready here, in Python: its addresses, its label, its date and which of the
buttons it has. The template (``_cards.html``, a macro imported once per page) only lays
it out. Measured on a Today page of 15k cards (issue 12), a card included per action with
its macros imported ``with context`` spent most of the page in Jinja2: a macro module
built and two files checked for changes per card, and six ``urlencode`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from followup.domain import words
from followup.domain.model import (
    DISMISSIBLE_KINDS,
    Action,
    ActionKind,
    Application,
    Channel,
    Contact,
    company_key,
)
from followup.domain.words import KIND_LABELS
from followup.entrypoints.web.rendering import dom_id, quoted, segment
from followup.services import (
    listing,
)
from followup.services.session import Deps


class Buttons(StrEnum):
    """Which buttons a card has (one branch of ``_cards.html``)."""

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
    """An action card with its addresses made (percent-encoded as Jinja's ``urlencode``
    would: ``/`` kept in an id, never in the company's page name)."""

    action: Action
    contact: Contact | None
    can_send: bool
    buttons: Buttons | None
    dom_id: str
    label: str
    due: str  # the due day as the app writes days
    #: ``/actions/<id>``: the draft, send, done and dismiss addresses start with it.
    action_url: str
    application_url: str
    company_url: str
    #: ``tel:`` when the contact has a phone.
    tel: str | None
    window: str | None
    dismissible: bool


def cards(deps: Deps, actions: list[Action]) -> list[Card]:
    """What each action's card needs: its contact's links, whether mail can go, its URLs."""
    return cards_from(actions, listing.card_details(deps, actions))


def cards_from(
    actions: list[Action], details: tuple[dict[tuple[str, str], Contact], bool]
) -> list[Card]:
    """:func:`cards` from what ``listing.card_details`` (or ``card_details_in``) found."""
    contacts, can_send = details
    return [
        card(a, contacts.get((a.contact_owner or "", a.contact or "")), can_send) for a in actions
    ]


def card(action: Action, contact: Contact | None, can_send: bool) -> Card:
    application = quoted(action.application or "")
    return Card(
        action=action,
        contact=contact,
        can_send=can_send,
        buttons=_buttons(action),
        dom_id=dom_id(action.id),
        label=KIND_LABELS[action.kind],
        due=words.day(action.due),
        action_url="/actions/" + quoted(action.id),
        application_url="/applications/" + application,
        company_url="/companies/" + segment(company_key(action.company or "")),
        tel=words.tel_uri(contact.phone) if contact and contact.phone else None,
        window=words.window(action.window) if action.window else None,
        dismissible=action.kind in DISMISSIBLE_KINDS,
    )


def _buttons(action: Action) -> Buttons | None:
    kind = action.kind
    either = kind in (ActionKind.APPLICATION_FOLLOW_UP, ActionKind.WITHDRAW)
    if kind in (ActionKind.THANK_YOU_EMAIL, ActionKind.STATUS_EMAIL) or (
        either and action.channel == Channel.EMAIL
    ):
        return Buttons.EMAIL
    return _OTHER_BUTTONS.get(kind)


_OTHER_BUTTONS = {
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
