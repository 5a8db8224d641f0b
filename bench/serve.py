"""A followup web server for the benchmark: ``python -m bench.serve DB PORT [--no-cache]``.

One uvicorn worker, as ``followup serve`` runs it; ``--no-cache`` turns the page cache off
(``create_app(page_cache=False)``): every page is rendered afresh, which is what a page costs
right after a write, and most of the time on a server with many users. ``--floor SIZE``
adds a fixed page of that size (:func:`add_floor`).
"""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from bench.synthetic import NOW
from followup import bootstrap
from followup.adapters.clock import FixedClock
from followup.entrypoints.web.app import create_app

FLOOR = "/bench/floor"


def add_floor(app: FastAPI, size: int) -> None:
    """``GET /bench/floor``: a fixed page of ``size`` bytes through the same stack as the
    pages (uvicorn, every middleware, a FastAPI route tried first, as Today's is): what a
    worker serves at most, whatever a page costs to make (issue 12's 2,000 requests/s)."""
    page = (b"<!doctype html>" + b"x" * size)[:size]

    @app.get(FLOOR, response_class=HTMLResponse)
    async def floor(request: Request) -> Response:
        return HTMLResponse(page)

    app.router.routes.insert(0, app.router.routes.pop())


if __name__ == "__main__":
    db, port = sys.argv[1], int(sys.argv[2])
    app = create_app(
        lambda: bootstrap.build(db, clock=FixedClock(NOW)),
        port=port,
        page_cache="--no-cache" not in sys.argv,
    )
    if "--floor" in sys.argv:
        add_floor(app, int(sys.argv[sys.argv.index("--floor") + 1]))
    uvicorn.run(app, host="127.0.0.1", port=port, workers=1, log_level="warning")
