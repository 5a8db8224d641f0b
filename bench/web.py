"""The web app's figures: pages rendered afresh for one user, and requests/s per worker.

"Afresh" is the server run with the page cache off (``bench/serve.py --no-cache``,
``create_app(page_cache=False)``): every request reads the store and renders the page,
as the first request after any write does, and as a server with many users would most of
the time. The cached figures (the same pages served again until the plan can change,
``entrypoints/web/cache.py``) are measured too, for comparison.

- One user: requests one after another on one keep-alive connection, for up to
  :data:`BUDGET` seconds or :data:`MOST` requests: p50, p99, and the page's size.
- Requests/s per worker: wrk (``apt-get install -y wrk``), 16 connections from a second
  process on loopback, one server worker. Skipped, with a note, without wrk.
- The floor: a fixed page the size of Today through the same server, middleware and
  routing (:func:`floor`): what one worker can serve at best, the page costing nothing.

Each measurement has its own server, so requests a slow page left queued cannot weigh on
the next one.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.measure import percentile

HERE = Path(__file__).parent
BUDGET = 15.0
MOST = 300


def pages(application: str) -> dict[str, str]:
    return {
        "Today": "/",
        "Applications": "/applications",
        "An application": f"/applications/{application}",
    }


def measure(db: Path, application: str) -> dict[str, Any]:
    """Every page's figures on the database ``db`` (``application``: one of its ids)."""
    results: dict[str, Any] = {}
    for name, path in pages(application).items():
        row: dict[str, Any] = {}
        with serving(db, cache=False) as port:
            row["afresh_one_user"] = one_user(port, path)
        if shutil.which("wrk") is not None:
            with serving(db, cache=False) as port:
                row["afresh_wrk"] = wrk(port, path)
            with serving(db, cache=True) as port:
                row["cached_wrk"] = wrk(port, path)
        results[name] = row
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install -y wrk): requests/s skipped", file=sys.stderr)
    else:
        results[FLOOR_PAGE] = floor(db, int(results["Today"]["afresh_one_user"]["html_kb"] * 1000))
    return results


#: The row of :func:`floor` in the report's table of pages.
FLOOR_PAGE = "A fixed page (the floor)"


def floor(db: Path, size: int) -> dict[str, Any]:
    """A fixed page the size of Today through the same server and stack (``bench.serve
    --floor``): the most requests/s one worker serves, whatever a page costs to make."""
    from bench.serve import FLOOR  # it imports the app: only when measured

    with serving(db, cache=False, floor=size) as port:
        row: dict[str, Any] = {"afresh_one_user": one_user(port, FLOOR)}
    with serving(db, cache=False, floor=size) as port:
        row["afresh_wrk"] = wrk(port, FLOOR)
    return row


@contextmanager
def serving(db: Path, cache: bool, floor: int | None = None) -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    argv = [sys.executable, "-m", "bench.serve", str(db), str(port)]
    argv += [] if cache else ["--no-cache"]
    argv += [] if floor is None else ["--floor", str(floor)]
    server = subprocess.Popen(argv, cwd=HERE.parent)
    try:
        _wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def one_user(port: int, path: str) -> dict[str, float]:
    """One request at a time, after one to warm up: latency percentiles and page size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        size = len(_get(conn, path))
        samples: list[float] = []
        deadline = time.perf_counter() + BUDGET
        while len(samples) < MOST and (len(samples) < 3 or time.perf_counter() < deadline):
            start = time.perf_counter()
            _get(conn, path)
            samples.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    return {
        "p50_ms": percentile(samples, 50),
        "p99_ms": percentile(samples, 99),
        "html_kb": size / 1000,
        "requests": len(samples),
    }


def _get(conn: http.client.HTTPConnection, path: str) -> bytes:
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return body


def wrk(port: int, path: str) -> dict[str, float | None]:
    """Requests/s and latency at 16 connections for 8 s, after a second to warm up."""
    url = f"http://127.0.0.1:{port}{path}"
    subprocess.run(["wrk", "-t1", "-c1", "-d1s", "--timeout", "60s", url], capture_output=True, check=True)  # fmt: skip
    out = subprocess.run(
        ["wrk", "-t2", "-c16", "-d8s", "--timeout", "60s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return parse_wrk(out)


def parse_wrk(output: str) -> dict[str, float | None]:
    def ms(label: str) -> float | None:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            return None  # no request finished within the run
        value, unit = float(found.group(1)), found.group(2)
        return {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60_000}[unit]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rps, output
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    assert errors is None, output
    timeouts = re.search(r"timeout (\d+)", output)
    done = re.search(r"^\s*(\d+) requests in", output, re.M)
    finished = done is not None and int(done.group(1)) > 0  # else wrk prints zeros
    return {
        "rps": float(rps.group(1)),
        "p50_ms": ms("50%") if finished else None,
        "p99_ms": ms("99%") if finished else None,
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
    }


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the benchmark server on port {port} did not start")
