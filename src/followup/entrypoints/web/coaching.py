"""Coaches, with consent, on the server's web app (issue 15, item 4); the rules are
:mod:`followup.services.coaching`'s.

A seeker's routes: ``GET/POST /api/sharing``, ``DELETE /api/sharing/{coach email}``, and
the Sharing section of the Settings page (plain forms, CSRF, no JavaScript needed), with
the access log under it. A coach's routes, GET only: ``GET /api/seekers`` and
``/api/seekers/{id}/plan``, ``/applications``, ``/insights`` (the shapes of the seeker's
own ``/api/plan``, ``/api/applications`` and ``followup stats --json``), and the pages
``/caseload``, ``/caseload/{id}`` (the seeker's Today), ``/caseload/{id}/applications`` and
``/caseload/{id}/insights``, which hold no form and no button that writes (Insights' period is
a GET form). ``web.accounts.SignedIn`` lets a coach
reach only these (and their account); here anyone but a coach gets 404 on them, as a
coach does on a seeker's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from followup.domain.accounts import Account, AccountRole
from followup.domain.coaching import CaseloadRow, Looked, Share
from followup.domain.model import Status
from followup.entrypoints.web.accounts import gate_of, page
from followup.entrypoints.web.api import applications as applications_api
from followup.entrypoints.web.api import plan as plan_api
from followup.entrypoints.web.api.errors import ERRORS
from followup.entrypoints.web.caseload_html import caseload_rows
from followup.entrypoints.web.schemas.actions import PlanOut
from followup.entrypoints.web.schemas.applications import PageOut
from followup.entrypoints.web.security import require_csrf
from followup.errors import FollowupError, NotFound
from followup.services import coaching, listing
from followup.services.coaching import CoachDeps
from followup.services.planning import (
    COMING,
    COUNT_CAP,
    OVERDUE,
    SECTION_PAGE,
    SECTIONS,
    TODAY,
)
from followup.services.session import reading

sharing_api = APIRouter(prefix="/api", tags=["sharing"], responses=ERRORS)
sharing_write = APIRouter(
    prefix="/api", tags=["sharing"], responses=ERRORS, dependencies=[Depends(require_csrf)]
)
coach_api = APIRouter(prefix="/api", tags=["coach"], responses=ERRORS)
pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


def install(app: FastAPI) -> None:
    for router in (sharing_api, sharing_write, coach_api, pages, posts):
        app.include_router(router)


async def coach_deps(request: Request) -> CoachDeps:
    found: CoachDeps | None = gate_of(request).coach
    if found is None:
        raise NotFound("no coaches on this server")
    return found


def _signed(request: Request, role: AccountRole) -> Account:
    account: Account | None = request.scope.get("state", {}).get("account")
    if account is None or account.role is not role:
        raise NotFound("not found")
    return account


async def seeker_account(request: Request) -> Account:
    return _signed(request, AccountRole.SEEKER)


async def coach_account(request: Request) -> Account:
    return _signed(request, AccountRole.COACH)


# The dependencies are ``async``: FastAPI runs a plain ``def`` one in its thread pool, a
# passage to another thread and back per request for a few attribute reads.
Deps = Annotated[CoachDeps, Depends(coach_deps)]
SeekerAccount = Annotated[Account, Depends(seeker_account)]
CoachAccount = Annotated[Account, Depends(coach_account)]


# --- a seeker shares ------------------------------------------------------------------------


class ShareIn(BaseModel):
    coach: str


class ShareOut(BaseModel):
    coach: str
    since: datetime


class SharesOut(BaseModel):
    shares: list[ShareOut]


def _share_out(found: Share) -> ShareOut:
    return ShareOut(coach=found.coach_email, since=found.since)


@sharing_api.get("/sharing", response_model=SharesOut, summary="The coaches you share with")
async def list_shares(deps: Deps, seeker: SeekerAccount) -> SharesOut:
    return SharesOut(shares=[_share_out(s) for s in coaching.shares(deps, seeker)])


@sharing_write.post(
    "/sharing",
    response_model=ShareOut,
    status_code=201,
    summary="Share your search with a coach (404: no coach account has that email)",
)
async def add_share(deps: Deps, seeker: SeekerAccount, body: ShareIn) -> ShareOut:
    return _share_out(coaching.share(deps, seeker, body.coach))


@sharing_write.delete("/sharing/{coach}", summary="Stop sharing with a coach", status_code=204)
async def remove_share(deps: Deps, seeker: SeekerAccount, coach: str) -> Response:
    coaching.unshare(deps, seeker, coach)
    return Response(status_code=204)


def sharing_context(request: Request, errors: dict[str, str]) -> dict[str, Any]:
    """What the Settings page's Sharing section shows a seeker: their coaches and the
    access log (nothing for a local app, nor anyone else)."""
    account = request.scope.get("state", {}).get("account")
    found = gate_of(request).coach if account is not None else None
    if account is None or account.role is not AccountRole.SEEKER or found is None:
        return {"sharing": None}
    return {
        "sharing": {
            "shares": coaching.shares(found, account),
            "looks": coaching.access_log(found, account),
            "shown": coaching.LOG_SHOWN,
            "kept": coaching.LOG_KEPT_DAYS,
            "error": errors.get("sharing.coach"),
        }
    }


async def _settings_again(request: Request, message: str) -> Response:
    from followup.entrypoints.web.pages.settings import _settings  # noqa: PLC0415

    return await _settings(request, {"sharing.coach": message}, code=422)


@posts.post("/settings/sharing")
async def share_form(
    request: Request, deps: Deps, seeker: SeekerAccount, coach: str = Form("")
) -> Response:
    try:
        coaching.share(deps, seeker, coach)
    except FollowupError as e:
        return await _settings_again(request, str(e))
    return RedirectResponse("/settings#sharing", status_code=303)


@posts.post("/settings/sharing/revoke")
async def revoke_form(
    request: Request, deps: Deps, seeker: SeekerAccount, coach: str = Form("")
) -> Response:
    try:
        coaching.unshare(deps, seeker, coach)
    except FollowupError as e:
        return await _settings_again(request, str(e))
    return RedirectResponse("/settings#sharing", status_code=303)


# --- a coach reads ----------------------------------------------------------------------


class SeekerOut(BaseModel):
    id: int
    email: str
    overdue: int
    last_activity: datetime | None
    #: Status follow-ups done in the last 30 days that had a due date, and the late ones.
    follow_ups_compared: int
    follow_ups_late: int


class SeekersOut(BaseModel):
    seekers: list[SeekerOut]


@coach_api.get("/seekers", response_model=SeekersOut, summary="The seekers who share with you")
async def list_seekers(deps: Deps, coach: CoachAccount) -> SeekersOut:
    return SeekersOut(
        seekers=[
            SeekerOut(
                id=r.seeker.id,
                email=r.seeker.email,
                overdue=r.overdue.count,
                last_activity=r.overdue.last_activity,
                follow_ups_compared=r.lateness.compared,
                follow_ups_late=len(r.lateness.late),
            )
            for r in coaching.caseload(deps, coach)
        ]
    )


@coach_api.get(
    "/seekers/{seeker_id}/plan", response_model=PlanOut, summary="A seeker's plan (read only)"
)
async def seeker_plan(
    deps: Deps,
    coach: CoachAccount,
    seeker_id: str,
    now: Annotated[datetime | None, Query(description="ISO 8601 with offset")] = None,
    horizon: Annotated[int, Query(ge=0, le=3660)] = 0,
) -> PlanOut:
    _, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.PLAN)
    return await plan_api.get_plan(theirs, now, horizon)


@coach_api.get(
    "/seekers/{seeker_id}/applications",
    response_model=PageOut,
    summary="A page of a seeker's applications (read only)",
)
async def seeker_applications(
    deps: Deps,
    coach: CoachAccount,
    seeker_id: str,
    q: Annotated[str, Query(max_length=200)] = "",
    status: Status | None = None,
    sort: Annotated[str, Query(pattern=r"^-?(company|position|status|applied)$")] = "-applied",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> PageOut:
    _, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.APPLICATIONS)
    return await applications_api.list_applications(theirs, q, status, sort, page)


@coach_api.get(
    "/seekers/{seeker_id}/insights",
    summary="A seeker's figures, as followup stats --json (read only)",
)
async def seeker_insights(
    deps: Deps,
    coach: CoachAccount,
    seeker_id: str,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
) -> dict[str, Any]:
    from followup.formats.stats import stats_json  # noqa: PLC0415
    from followup.services.insights import stats  # noqa: PLC0415

    _, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.INSIGHTS)
    return stats_json(stats(theirs, theirs.clock.now(), first, last))


# --- a coach's pages ----------------------------------------------------------------------


@pages.get("/caseload", response_class=HTMLResponse)
async def caseload_page(request: Request, deps: Deps, coach: CoachAccount) -> Response:
    rows: list[CaseloadRow] = coaching.caseload(deps, coach)
    return page(
        request,
        "caseload.html",
        {
            "rows": rows,
            "rows_html": caseload_rows(rows, COUNT_CAP),
            "late_days": coaching.LATE_DAYS,
            "path": "/caseload",
        },
    )


#: The headings of the seeker's Today, as their own page has them.
TITLES = {OVERDUE: "Overdue", TODAY: "Today", COMING: "This week"}


@pages.get("/caseload/{seeker_id}", response_class=HTMLResponse)
async def seeker_today(
    request: Request, deps: Deps, coach: CoachAccount, seeker_id: str
) -> Response:
    seeker, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.PLAN)
    with reading(theirs) as plan:
        today = plan.today
        sections = [(TITLES[key], plan.section(key, SECTION_PAGE)) for key in SECTIONS]
    return page(
        request,
        "coach_seeker.html",
        {
            "seeker": seeker,
            "today": today,
            "sections": sections,
            "tab": "today",
            "path": "/caseload",
        },
    )


@pages.get("/caseload/{seeker_id}/applications", response_class=HTMLResponse)
async def seeker_applications_page(
    request: Request,
    deps: Deps,
    coach: CoachAccount,
    seeker_id: str,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    seeker, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.APPLICATIONS)
    found = listing.search(theirs, "", None, "-applied", page_number)
    with reading(theirs) as plan:
        today = plan.today
    return page(
        request,
        "coach_seeker.html",
        {
            "seeker": seeker,
            "today": today,
            "found": found,
            "tab": "applications",
            "path": "/caseload",
        },
    )


@pages.get("/caseload/{seeker_id}/insights", response_class=HTMLResponse)
async def seeker_insights_page(
    request: Request, deps: Deps, coach: CoachAccount, seeker_id: str
) -> Response:
    """The seeker's Insights as they see them, period form included (a GET: it writes
    nothing), logged as a look at their figures like ``/api/seekers/{id}/insights``."""
    from followup.entrypoints.web.pages.insights import figures_of  # noqa: PLC0415

    seeker, theirs = coaching.seeker_of(deps, coach, seeker_id, Looked.INSIGHTS)
    now = theirs.clock.now()
    context, status = figures_of(theirs, now, request.query_params)
    with reading(theirs, now) as plan:
        today = plan.today
    here = f"/caseload/{seeker.id}/insights"
    return page(
        request,
        "coach_seeker.html",
        {
            **context,
            "seeker": seeker,
            "today": today,
            "tab": "insights",
            "here": here,
            "path": "/caseload",
        },
        status,
    )
