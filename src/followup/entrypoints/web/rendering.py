"""Rendering pages: the Jinja2 environment, the CSRF token in forms, the page cache.

Every template is ``.html`` and autoescaped (a test checks both); pages are made with a
marker where the CSRF token goes, so that a page kept by :mod:`.cache` can be served to
anyone with their own token. What is kept is the page as rendered, marker included:
nothing of the request goes into it, and the only thing put in the marker's place is the
token this server derived (64 hex digits). A page that shows a confirmation
(:mod:`.changes`) is made for one browser once, and never kept.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from followup.domain import words
from followup.domain.model import (
    DISMISSIBLE_KINDS,
    WEEKDAYS,
    ActionKind,
    Channel,
    Role,
    Status,
    company_key,
)
from followup.domain.policy import POLICY_KEYS
from followup.domain.words import KIND_LABELS
from followup.entrypoints.presenting import local_time
from followup.entrypoints.web.bytecode import template_cache
from followup.entrypoints.web.cache import TOKEN_MARKER, PageCache
from followup.entrypoints.web.changes import FLASH_COOKIE, flash_from_cookie, wants_flash
from followup.entrypoints.web.security import TOKEN, csrf_token
from followup.entrypoints.web.state import deps_of
from followup.services import listing
from followup.services.planning import PlanReader
from followup.services.session import Deps, reading

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


#: Set (to anything but ``0`` or empty) while working on the templates: each page then
#: checks its template files for changes, and an edit shows on the next reload.
DEV_ENV = "FOLLOWUP_DEV"


def developing() -> bool:
    return os.environ.get(DEV_ENV, "") not in ("", "0")


def _environment() -> jinja2.Environment:
    """Autoescaping on for every template (all are ``.html``; a test checks both).

    Templates are read and compiled once per process: outside development (see
    :data:`DEV_ENV`) nothing checks their files again, which cost two ``stat`` calls per
    action card on a page of cards (issue 12). Compiled templates are kept between
    starts (:mod:`.bytecode`).
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        auto_reload=developing(),
        bytecode_cache=template_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=lambda d: words.day(d) if d else "",
        clock=words.clock,
        window=words.window,
        label=lambda kind: KIND_LABELS[kind],
        tel=words.tel_uri,
        local_clock=lambda at, tz: words.clock(at.astimezone(tz).time()),
        local_time=local_time,
        web_url=web_url,
        mailto=lambda email: "mailto:" + quote(email, safe="@"),
        dom_id=dom_id,
        segment=segment,  # one part of a path, "/" included
        # Ids in addresses: the same text as Jinja's own filter, without its cost per id.
        urlencode=_urlencode,
        company_key=company_key,  # the company page's address (RULES.md's company key)
    )
    env.globals.update(
        Status=Status,
        Role=Role,
        ActionKind=ActionKind,
        DISMISSIBLE_KINDS=DISMISSIBLE_KINDS,
        POLICY_KEYS=POLICY_KEYS,
        WEEKDAYS=WEEKDAYS,
        Channel=Channel,
        late=words.late,
        # Where the CSRF token goes (see :mod:`.cache`): the same marker on every page, so a
        # global that macros see without being imported ``with context``.
        csrf=Markup(TOKEN_MARKER),  # noqa: S704 - a constant of ours, not request data
    )
    return env


#: What ``quote`` leaves as it is (with ``safe="/"``, its default, and with ``safe=""``):
#: ids and company keys mostly hold nothing else, and a match costs a fifth of a ``quote``.
#: An action's id also holds colons (``status:APP``), which ``quote`` writes ``%3A``.
_AS_IS = re.compile(r"[A-Za-z0-9_.~/:-]*")
_AS_IS_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]*")


def quoted(text: str) -> str:
    """``quote(text)``: a part of a URL, ``/`` kept (Jinja's ``urlencode`` of a string)."""
    return text.replace(":", "%3A") if _AS_IS.fullmatch(text) else quote(text)


def segment(text: str) -> str:
    """``quote(text, safe="")``: one part of a path, ``/`` included."""
    return text if _AS_IS_SEGMENT.fullmatch(text) else quote(text, safe="")


def _urlencode(value: Any) -> str:
    return quoted(value) if isinstance(value, str) else str(jinja2.filters.do_urlencode(value))


def dom_id(action_id: str) -> str:
    """The HTML id of an action's card: a plain CSS identifier, whatever the action's id."""
    return "card-" + _NOT_IN_ID.sub("-", action_id)


_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_-]")


def web_url(url: str | None) -> str | None:
    """Only http(s) links become links: escaping does not stop a ``javascript:`` URL."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """The page ``name`` with ``context``, and the requester's CSRF token in it.

    One render call on the compiled template, the token put in the page's text, encoded
    once. A page that says which day it is (Today) passes ``today``: the plan's settings
    are then not read a second time for the time zone.
    """
    deps = deps_of(request)
    now = deps.clock.now()
    flash = flash_from_cookie(request, deps)
    base: dict[str, Any] = {
        "flash": flash,
        "request": request,
        "now": now,
        "today": context["today"] if "today" in context else _today(request, deps, now),
        "errors": {},
        "values": {},
        "htmx": is_htmx(request),
        "path": request.url.path,
        "notice": None,
        "account": request.scope.get("state", {}).get("account"),  # the server's only
    }
    text = templates.env.get_template(name).render({**base, **context})
    request.state.marked_page = text  # the same for everyone: what the page cache keeps
    page = HTMLResponse(_put_token(request, text).encode(), status_code=status)
    if wants_flash(request):
        page.delete_cookie(FLASH_COOKIE, path="/", httponly=True, samesite="strict")
    return page


def render_shelled(
    request: Request, title: str, path: str, main: str, kept: bool = True
) -> HTMLResponse | None:
    """A page whose ``<main>`` is written in Python (``main``, escaped by its writer, with
    :data:`DOT_MARK` for :data:`DOT`), in ``base.html``'s shell as :func:`render` would
    put it for ``path``; ``None`` where the shell is not the plain one (a confirmation to
    show, a server's account): :func:`render` then.

    The shell (head, navigation) depends only on the title and the path: written once
    per process from ``base.html`` itself, then joined to each page's ``<main>`` (issue 12:
    the template's context, blocks and includes were a sixth of a Today page afresh).

    ``kept``: ``main`` holds the marker of the CSRF token (:func:`page_token`), and the
    page may be kept; else it holds the requester's token already, and nothing keeps it.
    """
    if wants_flash(request) or request.scope.get("state", {}).get("account") is not None:
        return None
    head, tail = _shell(title, path)  # the route's own path: no URL made of the request
    if not kept:
        # ASCII when the records' texts are: encoded by a copy (see DOT_MARK).
        text = head.replace(DOT, DOT_MARK) + main + tail.replace(DOT, DOT_MARK)
        return HTMLResponse(text.encode().replace(_DOT_MARK_BYTES, DOT_BYTES))
    text = head + main.replace(DOT_MARK, DOT) + tail
    request.state.marked_page = text  # the same for everyone: what the page cache keeps
    return HTMLResponse(_put_token(request, text).encode())


#: What separates a card's day from its lateness, a company from a position, a name from a
#: phone number, and a page's title from the app's name: the one text of a page of cards
#: outside ASCII.
DOT = " · "
#: What a ``<main>`` written in Python holds for :data:`DOT` (:func:`render_shelled`); it
#: holds ``<``, which no escaped text has, and no text of ours holds it. Issue 12: one
#: character outside ASCII makes a text's UTF-8 encoding a loop over every character
#: (70 µs for a Today page of 54 kB on the test machine) where an ASCII text is copied
#: (3 µs): the page is encoded with the marks, which are then replaced in its bytes.
DOT_MARK = "<:>"
DOT_BYTES = DOT.encode()
_DOT_MARK_BYTES = DOT_MARK.encode()


def page_token(request: Request) -> str:
    """What a page written in Python puts in its forms' CSRF field: the marker, when the
    page cache may keep the page (each requester's token is put in after, :func:`cached`);
    else the requester's token itself, and no pass over the page to put it in (issue 12:
    with the page cache off, that pass was a twentieth of a Today page)."""
    if request.app.state.page_cache is not None:
        return TOKEN_MARKER
    token = csrf_token(request)
    assert TOKEN.fullmatch(token)  # our own HMAC: nothing to escape, nothing to inject
    return token


def _shell(title: str, path: str) -> tuple[str, str]:
    """``base.html`` around an empty ``<main>``, split where the main block goes."""
    found = _SHELLS.get((title, path))
    if found is None:
        if len(_SHELLS) > _MOST_SHELLS:
            _SHELLS.clear()
        page = templates.env.from_string(_SHELL).render(
            title=title,
            path=path,
            flash=None,
            account=None,
            main=Markup(_MAIN),  # noqa: S704
        )
        head, _, tail = page.partition(_MAIN)
        found = _SHELLS[(title, path)] = (head, tail)
    return found


#: A page of ``base.html`` whose title and main block are given (the shell of
#: :func:`render_shelled`), and what stands for the main block while it is split.
_SHELL = (
    '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block main %}{{ main }}{% endblock %}"
)
_MAIN = "<main-" + secrets.token_hex(16) + ">"
_SHELLS: dict[tuple[str, str], tuple[str, str]] = {}
_MOST_SHELLS = 64


def _today(request: Request, deps: Deps, now: datetime) -> date:
    tz = getattr(request.state, "plan_tz", None)
    if tz is None:  # the page did not say (:func:`page_read`): one more read
        with deps.store.reading() as repo:
            tz = repo.load_settings().tz
    return now.astimezone(tz).date()


def _put_token(request: Request, text: str) -> str:
    """The page with the requester's CSRF token where the marker stands."""
    token = csrf_token(request)
    assert TOKEN.fullmatch(token)  # our own HMAC: nothing to escape, nothing to inject
    return text.replace(TOKEN_MARKER, token)


def with_token(request: Request, body: bytes, status: int = 200) -> HTMLResponse:
    """A kept page (bytes) with the requester's CSRF token where the marker stands."""
    token = csrf_token(request)
    assert TOKEN.fullmatch(token)  # our own HMAC: nothing to escape, nothing to inject
    return HTMLResponse(body.replace(_MARKER, token.encode()), status_code=status)


_MARKER = TOKEN_MARKER.encode()


async def cached(request: Request, produce: Callable[[], Awaitable[Response]]) -> Response:
    """A GET page from the cache while the plan cannot have changed, else freshly made."""
    deps = deps_of(request)
    now = deps.clock.now()
    cache: PageCache | None = request.app.state.page_cache
    if cache is None or wants_flash(request):
        return await produce()  # a confirmation is for this browser, once: never kept
    # On the server, each seeker's pages are their own (their change tokens may coincide).
    scope = request.scope.get("state", {}).get("cache_scope", "")
    key = f"{scope}|{request.url.path}?{request.url.query}#{is_htmx(request)}"
    token = listing.change_token(deps)
    body = cache.get(key, token, now)
    if body is not None:
        return with_token(request, body)
    response = await produce()
    marked: str | None = getattr(request.state, "marked_page", None)
    if response.status_code == 200 and marked is not None:
        until: datetime | None = getattr(request.state, "plan_until", None)
        if until is None:  # the page did not say: one more read
            with reading(deps, now) as plan:
                until = plan.changes_at()
        cache.put(key, token, now, until, marked.encode())
    return response


def page_read(request: Request, plan: PlanReader) -> None:
    """What :func:`render` and :func:`cached` need of the plan, taken from the read that
    made the page (they need no read of their own): the seeker's time zone, and the
    instant until which the page may be kept (``plan`` may change by itself then)."""
    request.state.plan_tz = plan.settings.tz
    if request.app.state.page_cache is not None:  # else nothing keeps the page: no reads
        request.state.plan_until = plan.changes_at()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
