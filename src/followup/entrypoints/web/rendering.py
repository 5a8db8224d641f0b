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
from collections.abc import Awaitable, Callable
from datetime import datetime
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
from followup.services.session import reading

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
        segment=lambda value: quote(value, safe=""),  # one part of a path, "/" included
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


def dom_id(action_id: str) -> str:
    """The HTML id of an action's card: a plain CSS identifier, whatever the action's id."""
    return "card-" + re.sub(r"[^A-Za-z0-9_-]", "-", action_id)


def web_url(url: str | None) -> str | None:
    """Only http(s) links become links: escaping does not stop a ``javascript:`` URL."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    deps = deps_of(request)
    now = deps.clock.now()
    tz = getattr(request.state, "plan_tz", None)
    if tz is None:  # the page did not say (:func:`page_read`): one more read
        with deps.store.reading() as repo:
            tz = repo.load_settings().tz
    flash = flash_from_cookie(request, deps)
    base: dict[str, Any] = {
        "flash": flash,
        "request": request,
        "now": now,
        "today": now.astimezone(tz).date(),
        "errors": {},
        "values": {},
        "htmx": is_htmx(request),
        "path": request.url.path,
        "notice": None,
        "account": request.scope.get("state", {}).get("account"),  # the server's only
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    body = bytes(response.body)
    request.state.marked_page = body  # the same for everyone: what the page cache keeps
    page = with_token(request, body, status)
    if wants_flash(request):
        page.delete_cookie(FLASH_COOKIE, path="/", httponly=True, samesite="strict")
    return page


def with_token(request: Request, body: bytes, status: int = 200) -> HTMLResponse:
    """The page with the requester's CSRF token where the marker stands."""
    token = csrf_token(request)
    assert TOKEN.fullmatch(token)  # our own HMAC: nothing to escape, nothing to inject
    return HTMLResponse(body.replace(TOKEN_MARKER.encode(), token.encode()), status_code=status)


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
    marked: bytes | None = getattr(request.state, "marked_page", None)
    if response.status_code == 200 and marked is not None:
        until: datetime | None = getattr(request.state, "plan_until", None)
        if until is None:  # the page did not say: one more read
            with reading(deps, now) as plan:
                until = plan.changes_at()
        cache.put(key, token, now, until, marked)
    return response


def page_read(request: Request, plan: PlanReader) -> None:
    """What :func:`render` and :func:`cached` need of the plan, taken from the read that
    made the page (they need no read of their own): the seeker's time zone, and the
    instant until which the page may be kept (``plan`` may change by itself then)."""
    request.state.plan_tz = plan.settings.tz
    request.state.plan_until = plan.changes_at()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
