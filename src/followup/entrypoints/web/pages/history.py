"""History with its Undo, and a company's page."""

from __future__ import annotations

import re
from urllib.parse import unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from followup.domain import words
from followup.domain.when import DateInputError, parse_day
from followup.entrypoints.presenting import describe, local_time
from followup.entrypoints.web.changes import MAX_ID, with_flash
from followup.entrypoints.web.forms import (
    back,
    text,
)
from followup.entrypoints.web.pages.cards import cards
from followup.entrypoints.web.rendering import cached, render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import FollowupError, InvalidInput
from followup.services import (
    applications,
    companies,
    history,
)
from followup.services.session import reading

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


# --- History and undo ------------------------------------------------------------------------


@pages.get("/history", response_class=HTMLResponse)
async def history_page(request: Request, before: int | None = None) -> Response:
    return await _history(request, before)


async def _history(
    request: Request,
    before: int | None = None,
    error: str | None = None,
    code: int = 200,
    notice: str | None = None,
) -> Response:
    deps = deps_of(request)
    older_than = before if before is not None and 0 < before <= MAX_ID else None
    found = history.entries(deps, history.PAGE + 1, older_than)
    shown = found[: history.PAGE]
    newest = history.newest_undoable(deps)
    with reading(deps) as plan:
        tz = plan.settings.tz
    return render(
        request,
        "history.html",
        {
            "entries": shown,
            "older": shown[-1].id if len(found) > history.PAGE else None,
            "undoable": newest.id if newest else None,
            "tz": tz,
            "error": error,
            "notice": notice,
        },
        status=code,
    )


@posts.post("/undo")
async def undo(request: Request) -> Response:
    """Undo the change named by ``entry`` (refused unless it is the newest one not undone)."""
    form = await request.form()
    deps = deps_of(request)
    value = text(form, "entry")
    try:
        if value is not None and not (value.isdigit() and len(value) < 19):
            raise InvalidInput(f"{value!r} is not a change number", field="entry")
        undone = history.undo(deps, int(value) if value else None)
    except FollowupError as e:
        return await _history(request, error=str(e), code=409)
    response = back(form, "/history")
    page = re.match(r"/applications/([^/?#]+)", response.headers["location"])
    # The undo may have taken away the application the form came from.
    if page and not applications.exists(deps, unquote(page.group(1))):
        response = RedirectResponse("/applications", status_code=303)
    return with_flash(response, undone.undo)


@posts.post("/history/forget")
async def forget(request: Request) -> Response:
    """Forget the changes made before the day typed, once the box saying it cannot be
    undone is ticked (a page without JavaScript has no confirmation dialog)."""
    form = await request.form()
    deps = deps_of(request)
    typed = (text(form, "before") or "").strip()[:40]
    try:
        if text(form, "understood") != "yes":
            raise InvalidInput("tick the box: forgotten changes can no longer be undone")
        with reading(deps) as plan:
            today = plan.today
        try:
            day = parse_day(typed, today)
        except DateInputError as e:
            raise InvalidInput(f"before: {e}", field="before") from None
        gone = history.forget(deps, day)
    except FollowupError as e:
        return await _history(request, error=str(e), code=400)
    said = f"Forgot {gone} change{'' if gone == 1 else 's'} made before {words.day(day)}."
    return await _history(request, notice=said)


# --- Companies -------------------------------------------------------------------------------


@pages.get("/companies/{key:path}", response_class=HTMLResponse)  # a name may hold a "/"
async def company_page(request: Request, key: str) -> Response:
    return await cached(request, lambda: _company(request, key))


async def _company(request: Request, key: str) -> Response:
    deps = deps_of(request)
    view = companies.company(deps, key[:200], deps.clock.now())
    with reading(deps) as plan:
        tz = plan.settings.tz
    apps = {s.application.id: s.application for s in view.applications}
    said = [
        (app_id, local_time(t.at, tz), describe(apps[app_id], t), t.notes)
        for app_id, t in view.touches
    ]
    return render(
        request,
        "company.html",
        {"company": view, "apps": apps, "touches": said, "cards": cards(deps, view.planned)},
    )
