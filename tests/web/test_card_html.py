"""Issue 12: an action card written by ``pages.card_html`` from the action's stored record
is byte for byte the card the ``_cards.html`` macro wrote from the ``Action`` (the macro is
kept here as ``card_reference.html``, with the card it was given built as it was), for
every kind of card of the sample searches, with and without a notice, refusal messages
and texts that need escaping."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest

from followup import bootstrap
from followup.domain import words
from followup.domain.model import (
    DISMISSIBLE_KINDS,
    Action,
    ActionKind,
    Channel,
    Contact,
    ContactWindow,
    Step,
    company_key,
)
from followup.entrypoints.web import rendering
from followup.entrypoints.web.pages.card_html import card_html
from followup.entrypoints.web.pages.cards import Buttons, Card, Notice, buttons, contact_key
from followup.formats.plan import to_record
from followup.services import listing
from followup.services.session import reading
from tests.web.sample_site import NOW, SAMPLES, build

HERE = Path(__file__).parent
WINDOW = ContactWindow(frozenset({1, 3}), time(9), time(11))
ODD = "<b>&'\"x"

Shown = tuple[Action, Contact | None, bool, date]


def reference() -> Any:
    """The macro as it was, in the app's own environment (its filters and globals)."""
    app_templates = jinja2.FileSystemLoader(rendering.TEMPLATES)
    env = rendering.templates.env.overlay(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(HERE), app_templates])
    )
    return env.get_template("card_reference.html").module.card  # type: ignore[attr-defined]


def reference_card(action: Action, contact: Contact | None, can_send: bool) -> SimpleNamespace:
    """What the macro was given: the card as ``pages.cards.card`` made it from an Action."""
    return SimpleNamespace(
        action=action,
        contact=contact,
        can_send=can_send,
        buttons=buttons(to_record(action)),
        dom_id=rendering.dom_id(action.id),
        label=words.KIND_LABELS[action.kind],
        due=words.day(action.due),
        action_url="/actions/" + rendering.quoted(action.id),
        application_url="/applications/" + rendering.quoted(action.application or ""),
        company_url="/companies/" + rendering.segment(company_key(action.company or "")),
        tel=words.tel_uri(contact.phone) if contact and contact.phone else None,
        window=words.window(action.window) if action.window else None,
        dismissible=action.kind in DISMISSIBLE_KINDS,
    )


@pytest.fixture(scope="module")
def every_card(tmp_path_factory: pytest.TempPathFactory) -> list[Shown]:
    """Every card the sample searches show from today to a month on, with their today, and
    the follow-ups again by phone and by email, with a window (a withdrawal's buttons and
    a call's "Best:" depend on them)."""
    folder = tmp_path_factory.mktemp("cards")
    found: list[Shown] = []
    for sample in SAMPLES:
        build(folder / f"{sample}.db", sample)
        deps = bootstrap.build(str(folder / f"{sample}.db"), clock=None)
        try:
            with reading(deps, NOW) as plan:
                actions = plan.view(30).actions
                today = plan.today
            contacts, can_send = listing.card_details(deps, actions)
        finally:
            deps.store.close()  # type: ignore[attr-defined]
        for a in actions:
            contact = contacts.get(contact_key(to_record(a)))
            found.append((a, contact, can_send, today))
            if a.kind in (ActionKind.WITHDRAW, ActionKind.APPLICATION_FOLLOW_UP):
                for channel in (Channel.PHONE, Channel.EMAIL, None):
                    moved = dataclasses.replace(a, channel=channel, window=WINDOW)
                    found.append((moved, contact, can_send, today))
    return found


def odd(action: Action, contact: Contact | None) -> tuple[Action, Contact | None]:
    """The card's texts with what needs escaping, wherever a record's text goes."""
    action = dataclasses.replace(
        action,
        company=f"{action.company}{ODD}" if action.company else action.company,
        position=f"{action.position}{ODD}",
        contact_name=f"{action.contact_name}{ODD}" if action.contact_name else None,
        reason=action.reason + ODD,
        rule=action.rule + ODD,
        script=tuple(line + ODD for line in action.script) or (ODD,),
        steps=(*action.steps, Step("R1" + ODD, ODD, None)),
    )
    if contact is not None:
        contact = dataclasses.replace(contact, name=contact.name + ODD)
    return action, contact


def test_every_kind_is_compared(every_card: list[Shown]) -> None:
    records = [to_record(a) for a, _, _, _ in every_card]
    assert {a.kind for a, _, _, _ in every_card} == set(ActionKind)
    assert {buttons(r) for r in records} == set(Buttons)
    assert any(c is not None and c.phone for _, c, _, _ in every_card)
    assert any(a.due < today for a, _, _, today in every_card)  # overdue, with how late
    assert any(c is not None and c.email and send for _, c, send, _ in every_card)


@pytest.mark.parametrize("variant", ["plain", "notice", "errors", "odd"])
def test_a_card_is_the_macros_card_byte_for_byte(every_card: list[Shown], variant: str) -> None:
    macro = reference()
    errors = (
        {
            "done.form": "No <good> & 'bad'",
            "done.outcome": "pick one",
            "done.decision_by": "",
            "done.vacancies": 'too "long"',
        }
        if variant == "errors"
        else {}
    )
    path = "/applications/b03?x=<'>" if variant == "odd" else "/"
    for shown, contact_of, _, today in every_card:
        action, contact = odd(shown, contact_of) if variant == "odd" else (shown, contact_of)
        notice = (
            Notice("Done.", SimpleNamespace(company=action.company), [])  # type: ignore[arg-type]
            if variant == "notice"
            else None
        )
        for can_send in (True, False):
            expected = str(
                macro(reference_card(action, contact, can_send), today, notice, errors, path)
            )
            card = Card(to_record(action), contact, can_send)
            assert str(card_html(card, today, notice, errors, path)) == expected, action.id
