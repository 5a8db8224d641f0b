"""Which history entry a request wrote, and the confirmation ("flash") that offers to undo it.

Every change is one history entry (:mod:`followup.services.history`). A client offered
"Undo" must name that entry, so each write here takes the id of the entry its use case
committed (:func:`followup.services.session.entry_of`): none means nothing changed (a
no-op writes no entry, and the button must not undo an older change instead).

After a form, the browser is redirected (post/redirect/get) with the entry id in a
short-lived cookie; the next page shows the confirmation once and clears it. A page
shown with a confirmation is never kept by the page cache (:func:`.rendering.cached`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response

from followup.services import history
from followup.services.session import Deps, entry_of

T = TypeVar("T")

#: The largest history entry id a request may name (SQLite integers are 64-bit).
MAX_ID = 2**62
#: The cookie that carries the id of the change just made to the next page.
FLASH_COOKIE = "followup_change"


def tracked(deps: Deps, run: Callable[[], T]) -> tuple[T, int | None]:
    """``run()``'s result and the history entry it wrote (``None``: it changed nothing)."""
    return entry_of(run)


def with_flash(response: Response, change: int | None) -> Response:
    """Let the next page confirm ``change`` (with its Undo button)."""
    if change is not None:
        response.set_cookie(
            FLASH_COOKIE, str(change), max_age=120, httponly=True, samesite="strict", path="/"
        )
    return response


def wants_flash(request: Request) -> bool:
    return FLASH_COOKIE in request.cookies


@dataclass(frozen=True, slots=True)
class Flash:
    """A confirmation: what the change did; ``undo`` is the entry an Undo button reverts."""

    message: str
    undo: int | None


def flash_of(deps: Deps, change: int | None) -> Flash | None:
    """The confirmation of entry ``change``, if it exists."""
    if change is None:
        return None
    entry = history.entry(deps, change)
    if entry is None:
        return None
    if entry.undoes is not None:
        return Flash(f"Undone: {_without_prefix(entry.summary)}.", None)
    return Flash(f"Saved: {entry.summary}.", entry.id if entry.undoable else None)


def flash_from_cookie(request: Request, deps: Deps) -> Flash | None:
    value = request.cookies.get(FLASH_COOKIE, "")
    return flash_of(deps, int(value)) if value.isdigit() and len(value) < 19 else None


def _without_prefix(summary: str) -> str:
    """An undo's summary is "undo of change N: what it did"; the confirmation says the rest."""
    head, sep, rest = summary.partition(": ")
    return rest if sep and head.startswith("undo of change") else summary
