"""The server benchmark's load: ``python -m bench.load`` reads a plan (JSON) on stdin and
prints what it measured (JSON) on stdout.

It runs in a process of its own, beside the server's workers, so that making the load
does not slow the server's event loop (on a small machine it still takes CPU from it: the
report says how many CPUs there were). The client is HTTP/1.1 over asyncio streams with
keep-alive connections: a general client (httpx) costs several times the CPU per request,
and wrk, the load tool the local bench uses, is not installed by ``.ci/run``.

A *visit* is a short list of requests of one user, one after the other (e.g. a write,
then the Today page); its last request is the one measured. Two ways to send them:

- ``open``: visits start at a fixed rate whatever the answers (an open loop, as people
  arrive), ``rate`` per second for ``seconds``. A slow server does not slow the
  arrivals: its latency shows, and how far behind the visits ended (the achieved rate).
- ``closed``: ``concurrency`` users each run visits back to back for ``seconds``: the most
  visits per second the server gives.

The visits are made by :data:`MAKERS`, by name: adding a measured page is one more
function there (``bench/server.py`` names the makers it runs).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


#: A user of the plan (made by ``bench/server.py``): its cookie, API token, and records.
User = dict[str, Any]
#: ``maker(user, n)``: the steps of that user's ``n``-th visit; the last one is measured.
Maker = Callable[[User, int], list[Step]]


def today_after_write(user: User, n: int) -> list[Step]:
    """The seeker edits one of their applications through the API (with their token), then
    opens Today (with their session): the page cache cannot help, the change token moved.
    Every other visit's write re-plans the application's company (a corrected position,
    new at each visit: a position seen before, as ``n % 4`` gave when the open loop gives a
    seeker every 1,000th visit, was the same again, and saved nothing); the others change
    its notes, which no rule reads (saved without a re-plan)."""
    if n % 2:
        change = {"position": f"Bench position {n}"}
    else:
        change = {"notes": f"Bench visit {n}: called, left a message."}
    note = json.dumps(change).encode()
    return [
        Step(
            "PATCH",
            f"/api/applications/{user['application']}",
            (("authorization", f"Bearer {user['token']}"), ("content-type", "application/json")),
            note,
        ),
        Step("GET", "/", (("cookie", f"followup_session={user['session']}"),)),
    ]


def today_again(user: User, n: int) -> list[Step]:
    """Today with nothing changed since the last time (the page cache may answer)."""
    return [Step("GET", "/", (("cookie", f"followup_session={user['session']}"),))]


def write_only(user: User, n: int) -> list[Step]:
    """The write of :func:`today_after_write` alone (what it costs without the page)."""
    return today_after_write(user, n)[:1]


def caseload(user: User, n: int) -> list[Step]:
    """A coach opens their caseload (every seeker sharing with them, with their session)."""
    return [Step("GET", "/caseload", (("cookie", f"followup_session={user['session']}"),))]


MAKERS: dict[str, Maker] = {
    "caseload": caseload,
    "write_only": write_only,
    "today_after_write": today_after_write,
    "today_again": today_again,
}


class Failure(Exception):
    pass


#: uvicorn closes a connection left idle for 5 s: one idle for longer is not reused.
KEEP_IDLE_SECONDS = 3.0
Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


@dataclass
class Connections:
    """Keep-alive connections to the server, reused by whichever visit is free."""

    port: int
    idle: list[tuple[float, Conn]] = field(default_factory=list)
    opened: int = 0

    async def get(self) -> Conn:
        while self.idle:
            since, conn = self.idle.pop()
            if time.perf_counter() - since < KEEP_IDLE_SECONDS:
                return conn
            conn[1].close()
        self.opened += 1
        return await asyncio.open_connection("127.0.0.1", self.port)

    def put(self, conn: Conn) -> None:
        self.idle.append((time.perf_counter(), conn))

    def close(self) -> None:
        for _, (_, writer) in self.idle:
            writer.close()


async def send(conn: Conn, port: int, step: Step) -> tuple[int, int, bool]:
    """One request: its status, body size, and whether the connection can be kept."""
    reader, writer = conn
    head = [f"{step.method} {step.path} HTTP/1.1", f"host: 127.0.0.1:{port}"]
    head += [f"{k}: {v}" for k, v in step.headers]
    if step.body or step.method not in ("GET", "HEAD"):
        head.append(f"content-length: {len(step.body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + step.body)
    status_line = await reader.readline()
    if not status_line:
        raise Failure("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked, keep = 0, False, True
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            keep = False
    size = 0
    if chunked:
        while (chunk := int((await reader.readline()).split(b";")[0], 16)) > 0:
            size += len(await reader.readexactly(chunk + 2)) - 2
        await reader.readline()
    else:
        size = len(await reader.readexactly(length))
    return status, size, keep


@dataclass
class Tally:
    measured_ms: list[float] = field(default_factory=list)  #: the last request of each visit
    visit_ms: list[float] = field(default_factory=list)  #: from when the visit was due
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    last_done: float = 0.0
    bytes: int = 0


async def visit(
    pool: Connections, steps: list[Step], tally: Tally, due: float, limit: asyncio.Semaphore
) -> None:
    async with limit:
        conn = await pool.get()
        keep = True
        try:
            for i, step in enumerate(steps):
                start = time.perf_counter()
                status, size, keep = await send(conn, pool.port, step)
                tally.requests += 1
                if status >= 400:
                    tally.errors.append(f"{step.method} {step.path}: {status}")
                if i == len(steps) - 1:
                    done = time.perf_counter()
                    tally.measured_ms.append((done - start) * 1000)
                    tally.visit_ms.append((done - due) * 1000)
                    tally.bytes = size
                    tally.last_done = max(tally.last_done, done)
        except (OSError, Failure, ValueError, asyncio.IncompleteReadError) as e:
            tally.errors.append(f"{type(e).__name__}: {e}")
            keep = False
        finally:
            if keep:
                pool.put(conn)
            else:
                conn[1].close()


async def open_loop(plan: dict[str, Any], make: Maker, users: list[User]) -> dict[str, Any]:
    pool = Connections(plan["port"])
    tally, limit = Tally(), asyncio.Semaphore(plan.get("connections", 256))
    rate, total = float(plan["rate"]), int(plan["rate"] * plan["seconds"])
    tasks = []
    late = 0.0
    start = time.perf_counter()
    for n in range(total):
        due = start + n / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        late = max(late, time.perf_counter() - due)
        user = users[n % len(users)]
        tasks.append(asyncio.create_task(visit(pool, make(user, n), tally, due, limit)))
    sent = time.perf_counter() - start
    _, unfinished = await asyncio.wait(tasks, timeout=plan.get("grace", 10.0))
    for task in unfinished:  # an overloaded server: what it had not answered by then
        task.cancel()
    await asyncio.gather(*unfinished, return_exceptions=True)
    pool.close()
    return _summary(tally, start, total) | {
        "rate_asked": rate,
        "sent_in_s": sent,
        "client_late_ms": late * 1000,
        "connections": pool.opened,
        "unfinished": len(unfinished),
    }


async def closed_loop(plan: dict[str, Any], make: Maker, users: list[User]) -> dict[str, Any]:
    pool = Connections(plan["port"])
    tally, limit = Tally(), asyncio.Semaphore(plan["concurrency"])
    start = time.perf_counter()
    end = start + plan["seconds"]
    counter = iter(range(10**9))

    async def user_loop(k: int) -> None:
        while time.perf_counter() < end:
            n = next(counter)
            user = users[(n * 7919 + k) % len(users)]
            await visit(pool, make(user, n), tally, time.perf_counter(), limit)

    await asyncio.gather(*(user_loop(k) for k in range(plan["concurrency"])))
    pool.close()
    return _summary(tally, start, len(tally.measured_ms)) | {"concurrency": plan["concurrency"]}


async def each(plan: dict[str, Any], make: Maker, users: list[User]) -> dict[str, Any]:
    """Every user's visit once, ``concurrency`` at a time (a warm-up: each worker process
    meets each seeker, whose stored plan it checks the first time)."""
    pool = Connections(plan["port"])
    tally, limit = Tally(), asyncio.Semaphore(plan["concurrency"])
    start = time.perf_counter()
    await asyncio.gather(
        *(visit(pool, make(u, n), tally, start, limit) for n, u in enumerate(users))
    )
    pool.close()
    return _summary(tally, start, len(users))


def _summary(tally: Tally, start: float, visits: int) -> dict[str, Any]:
    from bench.measure import percentile

    took = max(tally.last_done - start, 1e-9)
    done = tally.measured_ms
    return {
        "visits": visits,
        "completed": len(done),
        "seconds": took,
        "visits_per_s": len(done) / took,
        "requests_per_s": tally.requests / took,
        "p50_ms": percentile(done, 50) if done else None,
        "p99_ms": percentile(done, 99) if done else None,
        "max_ms": max(done) if done else None,
        "visit_p99_ms": percentile(tally.visit_ms, 99) if done else None,
        "page_kb": tally.bytes / 1000,
        "errors": len(tally.errors),
        "first_errors": sorted(set(tally.errors))[:5],
    }


def main() -> None:
    plan = json.load(sys.stdin)
    make = MAKERS[plan["maker"]]
    users: list[User] = plan["users"]
    try:
        import uvloop  # the client's own loop: cheaper per request

        runner: Callable[[Any], Any] = uvloop.run
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        runner = asyncio.run
    loop = {"open": open_loop, "closed": closed_loop, "each": each}[plan["mode"]]
    json.dump(runner(loop(plan, make, users)), sys.stdout)


if __name__ == "__main__":
    main()
