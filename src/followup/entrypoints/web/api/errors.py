"""How the API answers a refusal: the status for each error and the body it carries."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.schemas.common import ErrorOut
from followup.errors import (
    DatabaseBusy,
    DatabaseReadOnly,
    Duplicate,
    FollowupError,
    InvalidFile,
    InvalidInput,
    NotFound,
    Refused,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "An invalid value"},
    403: {"description": "Missing or wrong CSRF token"},
    404: {"model": ErrorOut, "description": "An unknown id"},
    409: {"model": ErrorOut, "description": "Refused (a duplicate id, an action that cannot be)"},
}
STATUS_OF: list[tuple[type[FollowupError], int]] = [
    (NotFound, 404),
    (InvalidInput, 400),
    (InvalidFile, 400),
    (Refused, 409),
    (DatabaseBusy, 503),
    (DatabaseReadOnly, 503),
]


def error_response(exc: FollowupError) -> JSONResponse:
    status = next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 500)
    body: dict[str, Any] = {"error": worded(exc), "field": exc.field}
    if isinstance(exc, Duplicate):
        body["existing"] = exc.existing
    return JSONResponse(body, status_code=status)
