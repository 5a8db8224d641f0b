"""Reading the parts of a rendered page that the tests check, with the standard library."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SECTION = re.compile(r'<section class="section (\w+)" id="section-\w+">(.*?)</section>', re.S)
_CARD = re.compile(
    r'<article class="card ([^"]*)" id="card-([^"]+)">\s*<header>\s*<time datetime="([^"]+)"'
)


@dataclass(frozen=True)
class Card:
    id: str  # the action id, as the card's HTML id writes it (":" becomes "-")
    classes: frozenset[str]
    due: str  # ISO date


def cards(html: str) -> list[Card]:
    return [Card(m[1], frozenset(m[0].split()), m[2]) for m in _CARD.findall(html)]


def sections(html: str) -> dict[str, list[Card]]:
    """Today's sections by key (overdue, today, coming), each with its cards in order."""
    return {key: cards(body) for key, body in _SECTION.findall(html)}


def notice(html: str) -> str | None:
    """The notice's words (its Undo button left out: see :func:`notice_undo`)."""
    found = re.search(r'<section class="notice"[^>]*>(.*?)</section>', html, re.S)
    if not found:
        return None
    words = re.sub(r'<form class="undo".*?</form>', "", found.group(1), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", words).split())


def notice_undo(html: str) -> str | None:
    """The history entry the notice's Undo button reverts, if it has one."""
    found = re.search(r'<section class="notice"[^>]*>(.*?)</section>', html, re.S)
    entry = re.search(r'name="entry" value="(\d+)"', found.group(1)) if found else None
    return entry.group(1) if entry else None
