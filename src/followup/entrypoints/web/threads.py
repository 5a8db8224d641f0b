"""The server's requests run in threads, one request per connection of the pool.

The handlers are ``async`` and call the services synchronously, which is right for the
local app (SQLite: a few short queries on one connection, see ``app.py``). On the server
each query is a round trip to PostgreSQL, and a query can wait: for a seeker's write lock
held by an import or a job (up to a minute), for a slow plan, for the network. In the event
loop's thread, that wait held every other request of the worker process. Measured in
``make bench``'s server part (the stall): one seeker's write waiting 2 s for their lock
held the others' pages for as long.

:class:`InThreads` runs each HTTP request (the sign-in check and everything after it) in
a thread of its own pool, sized to the pool of connections, each thread with an event loop
of its own; what the request receives and sends still goes through the server's loop. A
request waiting on PostgreSQL now holds its thread only: the others go on in the other
threads (Python runs one thread at a time, but a thread waiting on a socket lets the
others run). More requests than threads wait their turn in the order they came.

Each passage from one thread's loop to the other costs a wake-up of both (a write to the
loop's pipe, an ``epoll`` return, a callback): measured in ``make bench``'s server part,
the three or four of each request (its body received, its answer's start and body sent)
cost more CPU than the routing. So a short body (:data:`PREFETCH_MOST` bytes at most, as
its ``Content-Length`` says) is read by the server's loop before the request is handed
over, and an answer is kept in the request's thread until the handler is done, then sent
by the server's loop: one passage there and one back. An answer sent in several parts (a
download streamed as it is made) goes out part by part as before, each part waited for,
so a large one is never held whole in memory.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TypeVar

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from followup.entrypoints.web.cache import PageCache

T = TypeVar("T")


class InThreads:
    """Run each HTTP request of ``app`` in one of ``threads`` threads (module docstring)."""

    def __init__(self, app: ASGIApp, threads: int) -> None:
        self.app = app
        self.threads = threads
        self.pool = self._new_pool()
        self.local = threading.local()
        self.loops: list[asyncio.AbstractEventLoop] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # in the server's loop; the threads end with it
            await self.app(scope, receive, self._closing(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server = asyncio.get_running_loop()
        early = await _prefetched(scope, receive)
        kept: list[Message] = []  # the answer, sent by the server's loop at the end
        streamed = False

        async def received() -> Message:
            if early:
                return early.popleft()
            return await asyncio.wrap_future(
                asyncio.run_coroutine_threadsafe(_of(receive()), server)
            )

        async def sent(message: Message) -> None:
            nonlocal streamed
            if not streamed and not message.get("more_body", False):
                kept.append(message)  # the start, or the whole body: at the end
                return
            streamed = True  # an answer in parts: each goes (and is waited for) at once
            parts = [*kept, message]
            kept.clear()
            await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_sent(send, parts), server))

        def run() -> None:
            loop: asyncio.AbstractEventLoop | None = getattr(self.local, "loop", None)
            if loop is None:
                loop = self.local.loop = asyncio.new_event_loop()
                self.loops.append(loop)
            loop.run_until_complete(self.app(scope, received, sent))

        await server.run_in_executor(self.pool, run)
        await _sent(send, kept)

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(self.threads, thread_name_prefix="followup-request")

    def _closing(self, send: Send) -> Send:
        """``send`` of the lifespan: once the app has shut down, the threads and their
        loops end too."""

        async def sent(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                self.pool.shutdown(wait=True)
                for loop in self.loops:
                    loop.close()
                self.loops.clear()
                self.pool = self._new_pool()  # for a next start of the same app (tests)
            await send(message)

        return sent


#: The longest request body read before the request is handed to its thread (a form, a
#: JSON write); a longer one (an upload) is read by the handler as it needs it.
PREFETCH_MOST = 64 * 1024


async def _prefetched(scope: Scope, receive: Receive) -> deque[Message]:
    """The request's whole body, when its ``Content-Length`` says it is short."""
    found: deque[Message] = deque()
    length = Headers(scope=scope).get("content-length", "")
    if not length.isdigit() or not 0 < int(length) <= PREFETCH_MOST:
        return found
    while True:
        message = await receive()
        found.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return found


async def _sent(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)


async def _of(awaitable: Awaitable[T]) -> T:
    """A coroutine of any awaitable (what ``run_coroutine_threadsafe`` takes)."""
    return await awaitable


class LockedPageCache(PageCache):
    """The page cache, shared by the request threads of a worker: one at a time in it."""

    def __init__(self, size: int = 256) -> None:
        super().__init__(size)
        self._lock = threading.Lock()

    def get(self, key: str, token: object, now: datetime) -> bytes | None:
        with self._lock:
            return super().get(key, token, now)

    def put(self, key: str, token: object, since: datetime, until: datetime, body: bytes) -> None:
        with self._lock:
            super().put(key, token, since, until, body)
