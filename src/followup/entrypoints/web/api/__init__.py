"""The JSON API under ``/api``: the command line's use cases for programs.

Every route that changes something needs the CSRF token in ``X-CSRF-Token`` (``GET
/api/csrf`` gives it, with its cookie); errors are ``{"error": ..., "field": ...}`` with
404 (unknown id), 400 (invalid value), 409 (refused; a duplicate application also names
the ``existing`` one) or 503 (database busy); a body that does not fit the schema is 422.
Every change answers with ``change``, the history entry it wrote, for ``POST /api/undo``.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from followup.entrypoints.web.api import (
    actions,
    applications,
    companies,
    contacts,
    history,
    interviews,
    plan,
    settings,
    touches,
)

#: The routes that read, then those that change, each in the order they were declared when
#: the API was one module, so that the app's routes and the OpenAPI schema keep their order.
ROUTERS: tuple[APIRouter, ...] = (
    plan.read,
    applications.read,
    actions.read,
    settings.read,
    history.read,
    companies.read,
    applications.write,
    contacts.write,
    interviews.write,
    touches.write,
    actions.write,
    history.write,
    settings.write,
)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
