"""Which history entry a request wrote, and the confirmation ("flash") that offers to undo it.

Every change is one history entry (:mod:`followup.services.history`). A client offered
"Undo" must name that entry, so each write here takes the id of the entry its use case
committed (:func:`followup.services.session.entry_of`): none means nothing changed (a
no-op writes no entry, and the button must not undo an older change instead).

After a form, the browser is redirected (post/redirect/get) with the entry id in a
short-lived cookie; the next page shows the confirmation once and clears it. A page
shown with a confirmation is never kept by the page cache (:func:`.rendering.cached`).

A change that broke a rule it was allowed to break (a touch within R13's spacing, or
before R7's answer date) carries its warnings in the same cookie, sealed: cookies are
shared by every port of the host, so a page served elsewhere could set one, and only
words this server signed, for this very entry, are shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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


#: The most a cookie's warnings may take (browsers keep a cookie of up to 4 KB).
_MOST_WARNINGS = 3000


def with_flash(
    response: Response,
    change: int | None,
    warnings: Sequence[str] = (),
    request: Request | None = None,
) -> Response:
    """Let the next page confirm ``change`` (with its Undo button), and repeat the
    ``warnings`` it was made with (sealed with ``request``'s app's secret)."""
    if change is not None:
        value = str(change)
        if warnings and request is not None:
            value += "." + _seal(_key(request), change, list(warnings))
        response.set_cookie(
            FLASH_COOKIE, value, max_age=120, httponly=True, samesite="strict", path="/"
        )
    return response


def _key(request: Request) -> bytes:
    """The key of the warnings' seal: derived from the app's own secret (its CSRF one)."""
    secret: bytes = request.app.state.csrf_secret
    return hmac.new(secret, b"followup flash", hashlib.sha256).digest()


def _seal(key: bytes, change: int, warnings: list[str]) -> str:
    text = json.dumps(warnings, ensure_ascii=False)
    while len(text) > _MOST_WARNINGS and warnings:
        warnings = warnings[:-1]
        text = json.dumps(warnings, ensure_ascii=False)
    payload = base64.urlsafe_b64encode(text.encode()).decode("ascii").rstrip("=")
    return f"{payload}.{_signature(key, change, payload)}"


def _signature(key: bytes, change: int, payload: str) -> str:
    return hmac.new(key, f"{change}.{payload}".encode("ascii"), hashlib.sha256).hexdigest()


def _unsealed(key: bytes, change: int, sealed: str) -> tuple[str, ...]:
    """The warnings of a sealed value, or none when the seal is not this server's."""
    payload, _, signature = sealed.partition(".")
    if not payload.isascii() or not hmac.compare_digest(
        _signature(key, change, payload), signature
    ):
        return ()
    try:
        found = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return ()
    if not isinstance(found, list):
        return ()
    return tuple(w for w in found if isinstance(w, str))


def wants_flash(request: Request) -> bool:
    return FLASH_COOKIE in request.cookies


@dataclass(frozen=True, slots=True)
class Flash:
    """A confirmation: what the change did; ``undo`` is the entry an Undo button reverts."""

    message: str
    undo: int | None
    #: What the change broke that it was allowed to (R13, R7), in words.
    warnings: tuple[str, ...] = ()


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
    value, _, sealed = request.cookies.get(FLASH_COOKIE, "").partition(".")
    if not (value.isdigit() and len(value) < 19):
        return None
    flash = flash_of(deps, int(value))
    if flash is None or not sealed:
        return flash
    return replace(flash, warnings=_unsealed(_key(request), int(value), sealed))


def _without_prefix(summary: str) -> str:
    """An undo's summary is "undo of change N: what it did"; the confirmation says the rest."""
    head, sep, rest = summary.partition(": ")
    return rest if sep and head.startswith("undo of change") else summary
