"""Reading the parts of a rendered page that the tests check, with the standard library."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

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


@dataclass
class Form:
    """A form of a page and what a browser would send from it, untouched."""

    action: str
    fields: list[tuple[str, str]]

    def data(self, **changes: str | list[str]) -> dict[str, str | list[str]]:
        """What it sends with ``changes`` typed in (a list: the boxes ticked)."""
        sent: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in sent:
                before = sent[name]
                sent[name] = [*(before if isinstance(before, list) else [before]), value]
            else:
                sent[name] = value
        for name, change in changes.items():
            if isinstance(change, list):
                kept = [v for n, v in self.fields if n == name and v == ""]  # "none ticked"
                sent[name] = kept + change
            else:
                sent[name] = change
        return sent


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), []))
        elif not self.forms:
            return
        elif tag == "input" and "name" in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.forms[-1].fields.append((self._select, chosen[0] if chosen else ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form(html: str, action: str) -> Form:
    """The form posting to ``action`` (exactly one on the page)."""
    found = [f for f in forms(html) if f.action == action]
    assert len(found) == 1, f"{len(found)} forms post to {action}"
    return found[0]


def element(html: str, tag: str, id: str) -> str:
    """The ``<tag id=...>`` element (one that holds no other of its tag), as written."""
    found = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(id)}"[^>]*>.*?</{tag}>', html, re.S)
    assert found is not None, f"no <{tag} id={id!r}>"
    return found.group(0)
