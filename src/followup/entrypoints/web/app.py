"""The web app: pages for people, a JSON API for programs, both over the same services.

Handlers are ``async`` and call the services directly: their SQLite work is a few short
indexed queries, and one connection serves every request in the event loop's thread
(measured: about four times the requests per second of synchronous handlers opening a
connection each). The services are built in that thread when the server starts.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.telemetry import TelemetryConfig

from followup import __version__
from followup.entrypoints.web import accounts, api, calendar, pages
from followup.entrypoints.web.accounts import Gate
from followup.entrypoints.web.body_limit import DEFAULT_MB, BodyLimit
from followup.entrypoints.web.cache import PageCache
from followup.entrypoints.web.pages import mail_settings
from followup.entrypoints.web.security import (
    CsrfRefused,
    HostCheck,
    SecurityHeaders,
    allowed_hosts,
    csrf_refused,
)
from followup.entrypoints.web.threads import InThreads, LockedPageCache
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

    app = _app(lifespan, telemetry=_NO_TELEMETRY)
    app.state.make_mailer = make_mailer
    app.state.page_cache = PageCache() if page_cache else None
    # Signs the CSRF tokens. Made anew each start: after a restart an open page's token no
    # longer passes, and reloading the page gives a new one (the refusal says so).
    app.state.csrf_secret = secrets.token_bytes(32)
    _assemble(app, allowed_hosts(host, port, allow_hosts))
    return app


def create_server_app(
    make_gate: Callable[[], Gate],
    *,
    secret_key: bytes,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_hosts: Iterable[str] = (),
    page_cache: bool = True,
    threads: int = 0,
    max_body: int = DEFAULT_MB * 1024 * 1024,
) -> FastAPI:
    """The same app for the accounts of a server (``followup server run``): each request
    is signed in (``web.accounts.SignedIn``) and served with its seeker's services.

    ``make_gate`` runs in each worker process at start-up (its pool of connections).
    The CSRF secret is derived from ``secret_key`` so that every worker, and the next
    start, accepts the tokens of the others. ``threads``: run the requests in that many
    threads (``web.threads``; as many as the gate's connections), or 0 in the event loop.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.gate = make_gate()
        yield
        app.state.gate.close()

    app = _app(lifespan)
    app.state.make_mailer = None  # the server's mail comes with its worker (issue 15)
    app.state.page_cache = (LockedPageCache() if threads else PageCache()) if page_cache else None
    app.state.csrf_secret = hmac.new(secret_key, b"followup csrf", hashlib.sha256).digest()
    from followup.entrypoints.web import coaching  # noqa: PLC0415 - the server's only

    accounts.install(app)
    coaching.install(app)
    mail_settings.install(app)
    app.add_middleware(accounts.SignedIn)  # runs after the Host check and the headers
    if threads:  # around the sign-in check: its query runs in the request's thread too
        app.add_middleware(InThreads, threads=threads)
    app.add_middleware(BodyLimit, limit=max_body)  # counted before any thread is taken
    _assemble(app, allowed_hosts(host, port, allow_hosts))
    return app


#: FastAPI's OpenTelemetry hooks, off in the local app: nobody observes a server of one
#: user on 127.0.0.1, and asking each request whether a provider is configured cost a
#: Today page served afresh 4 µs of its ~500 (issue 12's 2,000 requests/s per worker).
_NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def _app(
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
    telemetry: TelemetryConfig | None = None,
) -> FastAPI:
    return FastAPI(
        telemetry=telemetry,
        title="followup",
        version=__version__,
        description="Plan the follow-ups of a job search (RULES.md R1-R20).",
        lifespan=lifespan,
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads scripts from a CDN: not offline, not in our CSP
        redoc_url=None,
    )


def _assemble(app: FastAPI, hosts: frozenset[str]) -> None:
    app.add_exception_handler(CsrfRefused, csrf_refused)
    # Pages first: routes are tried in order, and each router passed costs a page a few
    # microseconds (the API's paths all start with /api/: no page path can shadow one).
    pages.install(app)
    api.install(app)
    calendar.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The last added runs first: the Host check sees every request before anything else.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, hosts=hosts)
