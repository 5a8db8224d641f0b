"""The list of applications and the form that adds one."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from followup.domain.model import (
    Status,
)
from followup.entrypoints.web.changes import tracked, with_flash
from followup.entrypoints.web.forms import (
    day,
    submit,
    text,
    today_of,
)
from followup.entrypoints.web.rendering import cached, render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import Duplicate
from followup.services import (
    applications,
    listing,
)
from followup.services.ports import SORTS
from followup.services.session import Deps

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


# --- Applications --------------------------------------------------------------------------


@pages.get("/applications", response_class=HTMLResponse)
async def applications_page(
    request: Request,
    q: str = "",
    status: str = "",
    sort: str = "-applied",
    page: int = 1,
) -> Response:
    return await cached(request, lambda: _applications(request, q, status, sort, page))


async def _applications(
    request: Request,
    q: str = "",
    status: str = "",
    sort: str = "-applied",
    page: int = 1,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
    duplicate: dict[str, str] | None = None,
) -> Response:
    deps = deps_of(request)
    wanted = Status(status) if status in {s.value for s in Status} else None
    found = listing.search(
        deps, q[:200], wanted, sort if sort.lstrip("-") in SORTS else "-applied", page
    )
    here = {"q": q, "status": status}
    return render(
        request,
        "applications.html",
        {
            "board": listing.board(deps),
            "found": found,
            "sort_links": [
                (key, title, _link(here, _sort_toggle(sort, key)), _arrow(sort, key))
                for key, title in _COLUMNS
            ],
            "previous": _link(here, sort, found.page - 1) if found.page > 1 else None,
            "next": _link(here, sort, found.page + 1) if found.page < found.pages else None,
            "q": q,
            "status": status,
            "sort": sort,
            "errors": errors or {},
            "values": values or {},
            "duplicate": duplicate,
        },
        status=code,
    )


_COLUMNS = [
    ("company", "Company"),
    ("position", "Position"),
    ("status", "Status"),
    ("applied", "Applied"),
]


def _link(here: dict[str, str], sort: str, page: int | None = None) -> str:
    """The table's address with this search, ``sort`` and ``page`` (made once, here)."""
    url = f"/applications?q={quote(here['q'])}&status={quote(here['status'])}&sort={quote(sort)}"
    return url if page is None else f"{url}&page={page}"


def _sort_toggle(sort: str, key: str) -> str:
    """A column's header sorts by it, and reverses the order when it is already so."""
    return f"-{key}" if sort == key else key


def _arrow(sort: str, key: str) -> str:
    return " ▲" if sort == key else " ▼" if sort == f"-{key}" else ""


@posts.post("/applications")
async def add_application(request: Request) -> Response:
    """Add an application; one like an existing one (same company, same position) is only
    added once the user confirms it (issue 8: no silent duplicates)."""

    def handle(form: FormData, deps: Deps) -> Response:
        saved, change = tracked(
            deps,
            lambda: applications.add_application(
                deps,
                text(form, "company") or "",
                text(form, "position") or "",
                applied_on=day(form, "applied_on", today_of(deps)),
                link=text(form, "link"),
                source=text(form, "source"),
                notes=text(form, "notes"),
                posting=text(form, "posting"),
                duplicate_ok=text(form, "duplicate_ok") == "yes",
            ),
        )
        target = f"/applications/{quote(saved.application.id)}"
        return with_flash(RedirectResponse(target, status_code=303), change)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _applications(request, errors=errors, values=values, code=422)

    try:
        return await submit(request, "new", handle, again, passes=(Duplicate,))
    except Duplicate as e:
        form = await request.form()
        values = {f"new.{k}": v for k, v in form.items() if isinstance(v, str)}
        return await _applications(
            request, values=values, code=409, duplicate={"message": str(e), "existing": e.existing}
        )
