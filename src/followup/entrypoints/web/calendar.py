"""The plan for calendar apps: an ``.ics`` download, and the feed at its secret address.

The feed answers a bare 404 for any address but the current one (no page, no hint), and
is read in the same transaction as its token check (:func:`followup.services.agenda.feed`),
so a rotated address stops working with the commit that rotated it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

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
    spool = _spool()
    agenda.write_calendar(deps, spool, deps.clock.now())
    return _sent(spool, 'attachment; filename="followup.ics"')


@router.get("/calendar/{token}.ics")
async def feed(request: Request, token: str) -> Response:
    deps = deps_of(request)
    spool = _spool()
    try:
        agenda.write_feed(deps, spool, token, deps.clock.now())
    except NotFound:
        spool.close()
        return PlainTextResponse("Not found", status_code=404)
    return _sent(spool, 'inline; filename="followup.ics"')


#: A calendar up to this size is kept in memory; a larger one goes to a temporary file.
SPOOL_BYTES = 1024 * 1024


def _spool() -> IO[bytes]:
    """Where a calendar is written inside its read transaction, then sent from once that
    ended (the read is never held open while a slow client takes the answer)."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # _sent closes it


def _sent(spool: IO[bytes], disposition: str) -> Response:
    size = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return StreamingResponse(
        chunks(),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": disposition, "Content-Length": str(size)},
    )
