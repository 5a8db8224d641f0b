"""What the app keeps for every request: the services built when the server started."""

from __future__ import annotations

from fastapi import HTTPException, Request

from followup.services.session import Deps


def deps_of(request: Request) -> Deps:
    """The services of this request's job search.

    Locally: the app's (pages, API and feed share them: one connection). On the server:
    the signed-in seeker's, made for this request (``web.accounts.SignedIn``); an account
    without a search of its own (a coach, an admin) finds nothing here: 404.
    """
    deps: Deps | None = request.scope.get("state", {}).get("deps")
    if deps is None:
        deps = getattr(request.app.state, "deps", None)
    if deps is None:
        raise HTTPException(status_code=404, detail="Not Found")
    return deps


async def deps_arg(request: Request) -> Deps:
    """:func:`deps_of` as a route's dependency (``api.shapes.DepsArg``). ``async``, since
    FastAPI runs a plain ``def`` dependency in its thread pool: measured on the server,
    that passage to another thread and back cost each API request more than the lookup."""
    return deps_of(request)
