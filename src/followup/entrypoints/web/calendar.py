"""The plan for calendar apps: an ``.ics`` download, and the feed at its secret address.

The feed answers a bare 404 for any address but the current one (no page, no hint), and
is read in the same transaction as its token check (:func:`followup.services.agenda.feed`),
so a rotated address stops working with the commit that rotated it.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from followup.entrypoints.web.state import deps_of
from followup.errors import NotFound
from followup.services import agenda

MEDIA_TYPE = "text/calendar; charset=utf-8"

router = APIRouter(include_in_schema=False)


def install(app: FastAPI) -> None:
    app.include_router(router)


@router.get("/calendar.ics")
async def download(request: Request) -> Response:
    deps = deps_of(request)
    return Response(
        agenda.calendar(deps, deps.clock.now()),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="followup.ics"'},
    )


@router.get("/calendar/{token}.ics")
async def feed(request: Request, token: str) -> Response:
    deps = deps_of(request)
    try:
        data = agenda.feed(deps, token, deps.clock.now())
    except NotFound:
        return PlainTextResponse("Not found", status_code=404)
    return Response(
        data,
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": 'inline; filename="followup.ics"'},
    )
