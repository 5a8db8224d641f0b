"""A seeker's uploads waiting for their import to be confirmed, in PostgreSQL (migration
0008): the server's side of ``entrypoints.web.uploads``.

Every query names the seeker, and a token is looked up by its SHA-256 with that seeker's
id: another account holding the very token finds nothing. The bytes go in and come back
a chunk at a time (:data:`CHUNK`); reading an upload back copies it into an anonymous
temporary file of this process, closed (so gone) at the end of the request's ``with``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO, TYPE_CHECKING, Any, Final

import psycopg

from followup.adapters.postgres.schema import connection
from followup.errors import NotFound

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

#: Bytes per stored chunk.
CHUNK: Final = 1024 * 1024
#: How long an upload waits for its confirmation (the local web app's hour).
KEPT_SECONDS: Final = 3600
TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{22}$")
GONE: Final = (
    "that upload is no longer here (it was imported, or an hour passed): choose the file again"
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PostgresUploads:
    def __init__(
        self, url: str, seeker: int, pool: ConnectionPool[psycopg.Connection[Any]] | None = None
    ) -> None:
        self.url = url
        self.seeker = seeker
        self.pool = pool

    def _conn(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        return connection(self.url, self.pool)

    def keep(self, source: IO[bytes]) -> str:
        """Keep ``source``'s bytes for this seeker; the token that names them. Uploads
        older than :data:`KEPT_SECONDS`, anyone's, go first: nobody can use them any more."""
        token = secrets.token_urlsafe(16)
        key = _digest(token)
        with self._conn() as conn, conn.transaction():
            conn.execute(
                "DELETE FROM pending_upload WHERE created_at < now() - make_interval(secs => %s)",
                (KEPT_SECONDS,),
            )
            conn.execute(
                "INSERT INTO pending_upload (seeker_id, token_sha256, created_at)"
                " VALUES (%s, %s, now())",
                (self.seeker, key),
            )
            seq = 0
            while chunk := source.read(CHUNK):
                conn.execute(
                    "INSERT INTO pending_upload_chunk (seeker_id, token_sha256, seq, data)"
                    " VALUES (%s, %s, %s, %s)",
                    (self.seeker, key, seq, chunk),
                )
                seq += 1
        return token

    @contextmanager
    def open(self, token: str) -> Iterator[IO[bytes]]:
        """The upload ``token`` names, as a file read from its start (:class:`NotFound`
        when this seeker has none by that token: gone, too old, forged, or another's)."""
        if not TOKEN.match(token):
            raise NotFound(GONE)
        key = _digest(token)
        with tempfile.TemporaryFile() as copy:
            with self._conn() as conn, conn.transaction():
                found = conn.execute(
                    "SELECT 1 FROM pending_upload WHERE seeker_id = %s AND token_sha256 = %s"
                    " AND created_at >= now() - make_interval(secs => %s)",
                    (self.seeker, key, KEPT_SECONDS),
                ).fetchone()
                if found is None:
                    raise NotFound(GONE)
                with conn.cursor() as cur:
                    for (data,) in cur.stream(
                        "SELECT data FROM pending_upload_chunk"
                        " WHERE seeker_id = %s AND token_sha256 = %s ORDER BY seq",
                        (self.seeker, key),
                    ):
                        copy.write(data)
            copy.seek(0)
            yield copy

    def drop(self, token: str) -> None:
        if not TOKEN.match(token):
            return
        with self._conn() as conn:
            conn.execute(
                "DELETE FROM pending_upload WHERE seeker_id = %s AND token_sha256 = %s",
                (self.seeker, _digest(token)),
            )
