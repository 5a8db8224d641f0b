"""The pages: Today, Applications, one application, a company, Week, History, Settings,
Report, Insights.

Every form is a plain HTML form that works without JavaScript: it posts, and the
server answers with a redirect (post/redirect/get) or, when something is wrong, the
same page again with the message next to the field and nothing saved. With HTMX an
action card's buttons post in place and the page comes back made afresh (:func:`.today._after`).
No GET changes anything; every POST carries the CSRF token (:mod:`.security`). After a
change the page confirms it with an Undo button (:mod:`.changes`).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from followup.entrypoints.web.api.errors import error_response
from followup.entrypoints.web.pages import (
    application,
    applications,
    corrections,
    history,
    insights,
    report,
    settings,
    sheets,
    today,
)
from followup.entrypoints.web.pages.card_html import card_html, cards_html
from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.rendering import render, templates
from followup.errors import FollowupError, NotFound

_FAMILIES = (
    today,
    applications,
    application,
    corrections,
    history,
    settings,
    report,
    insights,
    sheets,
)
#: Every family's routers, the GET pages first, then the posts, each in the order the
#: pages were declared when they were one module, so that the app's routes keep their order.
ROUTERS: tuple[APIRouter, ...] = (
    *(family.pages for family in _FAMILIES),
    *(family.posts for family in _FAMILIES),
)


#: The cards of actions, written in Python (:mod:`.card_html`): what every page of cards
#: calls, as ``action_cards(cards, today, notice, errors, path)`` (or ``action_card`` for one).
templates.env.globals.update(action_card=card_html, action_cards=cards_html)


def install(app: FastAPI) -> None:
    app.router.routes.append(today.TODAY_ROUTE)
    for router in ROUTERS:
        app.include_router(router)

    async def followup_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, FollowupError)
        if request.url.path.startswith("/api/"):
            return error_response(exc)
        code = 404 if isinstance(exc, NotFound) else 400
        return render(request, "error.html", {"message": worded(exc)}, status=code)

    app.add_exception_handler(FollowupError, followup_error)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        """A page asked for with a bad query parameter (``?page=abc``): a page saying
        so, not FastAPI's JSON; the API keeps its documented 422 answer."""
        assert isinstance(exc, RequestValidationError)
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        return render(request, "error.html", {"message": _invalid(exc)}, status=400)

    app.add_exception_handler(RequestValidationError, invalid_request)


def _invalid(exc: RequestValidationError) -> str:
    """The first problem of a request, in words: the parameter, what was given, why."""
    errors = exc.errors()
    if not errors:
        return "this address is not valid"
    error = errors[0]
    name = str(error.get("loc", ("value",))[-1])
    given = error.get("input")
    context = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        why = "is not a whole number"
    elif kind == "greater_than_equal":
        why = f"is below {context.get('ge')}"
    elif kind == "less_than_equal":
        why = f"is above {context.get('le')}"
    else:
        why = f"is not valid ({str(error.get('msg', '')).lower()})"
    shown = repr(given) if isinstance(given, str) else "nothing"
    return f"{name}: {shown} {why}"
