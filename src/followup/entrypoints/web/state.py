"""What the app keeps for every request: the services built when the server started."""

from __future__ import annotations

from fastapi import Request

from followup.services.session import Deps


def deps_of(request: Request) -> Deps:
    """The services of this app (pages, API and feed share them: one connection)."""
    deps: Deps = request.app.state.deps
    return deps
