"""A ceiling on what one request may send to the server (``followup server run``).

The local app takes files of any size from its only user, who could as well run
``followup import``. A server takes requests from every account, and an upload is kept
(in the database, from its preview to its import) or parsed: without a ceiling, one
account could fill the server's disk or database with a single request. So every request
body is counted as it arrives, and one over :class:`BodyLimit`'s ``limit`` is answered
413 before the handler sees it: at once when its ``Content-Length`` says so, or as soon
as the bytes read pass the limit (a chunked body announces no length). Nothing of it is
written, since the handlers write only once the whole body has been read.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The ceiling, in MiB, unless ``FOLLOWUP_MAX_UPLOAD_MB`` says otherwise: room for a
#: ``followup/1`` export of some 50,000 applications, far above any one person's search.
DEFAULT_MB = 64


class _TooLarge(Exception):
    """The body passed the limit while it was being read."""


class BodyLimit:
    """Answer 413 to a request whose body is over ``limit`` bytes (module docstring)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "0").strip()
        if not length.isdigit() or int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    over = True
                    raise _TooLarge
            return message

        async def sending(message: Message) -> None:
            # Once the body was found too large, whatever the app answers (a framework
            # may turn the error into its own 400) gives way to the 413.
            nonlocal started
            if over:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await self._refuse(scope, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except _TooLarge:
            if not started:
                started = True
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        mib = self.limit // (1024 * 1024)
        why = (
            f"the request is larger than this server takes ({mib} MiB): split the file, "
            "or ask its administrator to raise FOLLOWUP_MAX_UPLOAD_MB"
        )
        if scope["path"].startswith("/api/"):
            body = json.dumps({"error": why, "field": None}).encode()
            kind = b"application/json"
        else:
            body = f"Too large: {why}.\n".encode()
            kind = b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
