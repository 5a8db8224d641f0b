"""Spreadsheets uploaded for a preview, kept on disk until the import is confirmed.

A browser cannot send a file twice without the user choosing it again, so the upload is
copied (a chunk at a time) into a private folder of this server process and named by a
random token, which the preview's form sends back. A copy is dropped once imported, and
any copy older than :data:`KEPT_SECONDS` when the next one arrives; the folder goes when
the server stops.

On the server (``followup server run``) each seeker's uploads are kept in the database
instead (``bootstrap.server_gate``'s ``uploads_for``): any worker finds them, and only
with the seeker's own account.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import IO, Final, Protocol

from fastapi import HTTPException, Request

from followup.errors import NotFound

KEPT_SECONDS: Final = 3600
TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{22}$")
_CHUNK = 64 * 1024


class PendingUploads(Protocol):
    """Uploads kept from their preview to their import."""

    def keep(self, source: IO[bytes]) -> str:
        """Keep ``source``'s bytes; the token that names them."""
        ...

    def open(self, token: str) -> AbstractContextManager[IO[bytes]]:
        """The upload ``token`` names, read from its start (:class:`NotFound` if gone)."""
        ...

    def drop(self, token: str) -> None: ...


class Uploads:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="followup-uploads-"))  # mode 0700
        # removed with what it holds when this goes, or at the latest when the server stops
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)

    def close(self) -> None:
        self._remove()

    def keep(self, source: IO[bytes]) -> str:
        """Copy ``source`` here; the token that names the copy."""
        self._forget_old()
        token = secrets.token_urlsafe(16)
        with (self.folder / token).open("xb") as copy:
            shutil.copyfileobj(source, copy, _CHUNK)
        return token

    def path(self, token: str) -> Path:
        """The copy ``token`` names (:class:`NotFound` if there is none: gone, or forged)."""
        found = self.folder / token
        if not TOKEN.match(token) or not found.is_file():
            raise NotFound(
                "that upload is no longer here (it was imported, or an hour passed): "
                "choose the file again"
            )
        return found

    @contextmanager
    def open(self, token: str) -> Iterator[IO[bytes]]:
        with self.path(token).open("rb") as source:
            yield source

    def drop(self, token: str) -> None:
        if TOKEN.match(token):
            (self.folder / token).unlink(missing_ok=True)

    def _forget_old(self) -> None:
        limit = time.time() - KEPT_SECONDS
        for old in self.folder.iterdir():
            if old.stat().st_mtime < limit:
                old.unlink(missing_ok=True)


def uploads_of(request: Request) -> PendingUploads:
    """This server's uploads, the folder made at the first upload; on a followup server,
    the signed-in seeker's."""
    state = request.app.state
    gate = getattr(state, "gate", None)
    if gate is not None:
        account = request.scope.get("state", {}).get("account")
        if account is None:  # a calendar feed's request: no uploads there
            raise HTTPException(status_code=404, detail="Not Found")
        found: PendingUploads = gate.uploads_for(account.id)
        return found
    if getattr(state, "uploads", None) is None:
        state.uploads = Uploads()
    uploads: Uploads = state.uploads
    return uploads
