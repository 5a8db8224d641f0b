"""The web app: pages for people, a JSON API for programs, both over the same services.

Handlers are ``async`` and call the services directly: their SQLite work is a few short
indexed queries, and one connection serves every request in the event loop's thread
(measured: about four times the requests per second of synchronous handlers opening a
connection each). The services are built in that thread when the server starts.
"""

from __future__ import annotations

import gc
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from followup import __version__
from followup.entrypoints.web import api, calendar, pages
from followup.entrypoints.web.cache import PageCache
from followup.entrypoints.web.security import (
    CsrfRefused,
    HostCheck,
    SecurityHeaders,
    allowed_hosts,
    csrf_refused,
)
from followup.services.ports import Mailer
from followup.services.session import Deps

STATIC = os.path.join(os.path.dirname(__file__), "static")


def create_app(
    make_deps: Callable[[], Deps],
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    page_cache: bool = True,
    make_mailer: Callable[[Deps], Mailer] | None = None,
    allow_hosts: Iterable[str] = (),
) -> FastAPI:
    """The app around services made by ``make_deps`` in the server's thread.

    ``make_mailer`` sends email (``bootstrap.mailer``); without it there is no Send button.
    ``allow_hosts`` are more names the server answers to (``serve --allow-host``).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.deps = make_deps()
        # What was loaded to start (modules, templates' code) lives as long as the server:
        # kept out of the collector's full passes, which otherwise walk all of it every
        # so often, inside some request (measured: a 25-30 ms pause, the p99 of a page).
        gc.collect()
        gc.freeze()
        yield
        close = getattr(app.state.deps.store, "close", None)
        if close is not None:
            close()

    app = FastAPI(
        title="followup",
        version=__version__,
        description="Plan the follow-ups of a job search (RULES.md R1-R20).",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not offline, not in our CSP
        redoc_url=None,
    )
    app.state.make_mailer = make_mailer
    app.state.page_cache = PageCache() if page_cache else None
    # Signs the CSRF tokens. Made anew each start: after a restart an open page's token no
    # longer passes, and reloading the page gives a new one (the refusal says so).
    app.state.csrf_secret = secrets.token_bytes(32)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    api.install(app)
    pages.install(app)
    calendar.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The last added runs first: the Host check sees every request before anything else.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, hosts=allowed_hosts(host, port, allow_hosts))
    return app
