"""The server's figures (issue 15): ``followup server run`` on PostgreSQL, under load.

- A throwaway PostgreSQL cluster (``tests/pg_cluster.py``'s way: the system's binaries,
  ``initdb`` as the ``postgres`` user, a free port on 127.0.0.1, durability off as in the
  tests), :data:`SEEKERS` seekers of :data:`APPS` applications each (the ``history``
  shape of ``bench/synthetic.py``, a seed per seeker), imported through the services in
  a few processes, each seeker signed in (a session and an API token, made through the
  sign-in store: no argon2id per seeker).
- ``followup server run --workers 2`` (then ``--workers 1``), as a user runs it.
- The load comes from another process (``bench/load.py``): an open loop at
  :data:`RATE` visits/s where each visit is a seeker's write then their Today page (the
  page measured), the most visits/s a server gives (16 users back to back) at 1 and 2
  workers, an open loop at 80% of that (the latency at a rate this machine sustains,
  whatever it is), and a *stall*: one seeker's write waits 2 s for their write lock (held by
  another transaction, as a long import or a job would) while the others keep coming,
  which shows whether one slow request holds the others of its worker.

Settings: ``BENCH_SERVER=0`` skips it; ``BENCH_SERVER_SEEKERS`` (default 1000),
``BENCH_SERVER_RATE`` (default 500), ``BENCH_SERVER_SECONDS`` (default 20, each load).

To measure one more page: add its visit maker to ``bench/load.py``'s ``MAKERS`` (a function
of a user and a number giving the requests of one visit, the last one measured), and a line
to :data:`PAGES` naming it and the kind of user who visits; a new kind of user (coaches) is
made in :func:`users_of`.
"""

from __future__ import annotations

import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.build import FOLLOWUP

HERE = Path(__file__).parent
SEEKERS = int(os.environ.get("BENCH_SERVER_SEEKERS", "1000"))
APPS = 50
RATE = float(os.environ.get("BENCH_SERVER_RATE", "500"))
SECONDS = float(os.environ.get("BENCH_SERVER_SECONDS", "20"))
#: The processes whose CPU time is counted: the server's (``followup server run``, its
#: workers) and PostgreSQL's (the postmaster, its backends).
WATCHED = {"server": -1, "postgres": -1}
SECRET_KEY = "bench-secret-key-" + "b" * 32
#: The pages measured under the open loop, at :data:`RATE`: a name, its visit maker
#: (``bench/load.py``'s ``MAKERS``) and the kind of users who visit (a key of what
#: :func:`users_of` makes: ``seekers``; a coach's caseload would add ``coaches``).
PAGES = {"Today after a write": ("today_after_write", "seekers")}
STALL_SECONDS = 2.0


def measure() -> dict[str, Any] | None:
    """Every figure of the server, or None (with a message) when it cannot run here."""
    from tests.pg_cluster import INSTALL, binaries, running_cluster

    found = binaries()
    if found is None:
        print(f"PostgreSQL not found ({INSTALL}): the server's figures are skipped", file=sys.stderr)  # fmt: skip
        return None
    results: dict[str, Any] = {"seekers": SEEKERS, "applications_each": APPS, "rate": RATE}
    with running_cluster(found) as cluster:
        url = cluster.create_database("bench")
        pid = (cluster.root / "data" / "postmaster.pid").read_text().split()[0]
        WATCHED["postgres"] = int(pid)
        env = {**os.environ, "FOLLOWUP_DATABASE_URL": url, "FOLLOWUP_SECRET_KEY": SECRET_KEY}
        subprocess.run([FOLLOWUP, "server", "init"], env=env, check=True, capture_output=True)
        print(f"  server: {SEEKERS:,} seekers × {APPS} applications...", file=sys.stderr)
        start = time.perf_counter()
        users = populate(url, SEEKERS)
        kinds = users_of(url, users)
        results["populate_s"] = time.perf_counter() - start
        for workers in (2, 1):
            with serving(env, workers) as port:
                results[f"workers_{workers}"] = _run_loads(port, kinds, url, workers)
    return results


def users_of(url: str, seekers: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every kind of user a page of :data:`PAGES` is visited by. A coach's caseload would
    add ``"coaches"`` here: coach accounts, each shared by 50 of ``seekers``, with their
    sessions (as :func:`_populate` makes a seeker's)."""
    return {"seekers": seekers}


def _run_loads(
    port: int, kinds: dict[str, list[dict[str, Any]]], url: str, workers: int
) -> dict[str, Any]:
    users = kinds["seekers"]
    row: dict[str, Any] = {}
    print(f"  server, {workers} workers: every seeker once (warm-up)", file=sys.stderr)
    _load(port, users, "each", "today_again", concurrency=8)  # each worker meets each seeker
    print(f"  server, {workers} workers: most visits/s", file=sys.stderr)
    most = _load(port, users, "closed", "today_after_write", concurrency=16, seconds=SECONDS)
    if workers == 2:
        for name, (maker, kind) in PAGES.items():
            print(f"  server, {workers} workers: {name} at {RATE:g}/s", file=sys.stderr)
            row[name] = _load(port, kinds[kind], "open", maker, rate=RATE, seconds=SECONDS)
        rate = max(1.0, round(most["visits_per_s"] * 0.8))
        print(f"  server, {workers} workers: at {rate:g}/s (80% of the most)", file=sys.stderr)
        row["at 80% of the most"] = _load(port, users, "open", "today_after_write", rate=rate, seconds=SECONDS)  # fmt: skip
        rate = max(1.0, round(most["visits_per_s"] / 2))
        print(f"  server, {workers} workers: a stall, at {rate:g} visits/s", file=sys.stderr)
        row["stall"] = stall(port, users, url, rate)
    row["most"] = most
    return row


def populate(url: str, n: int) -> list[dict[str, Any]]:
    """``n`` seekers with their applications, sessions and tokens, made in two processes."""
    chunks = [range(k, n, 2) for k in range(2)]
    with ProcessPoolExecutor(2) as pool:
        made = list(pool.map(_populate, [url] * len(chunks), chunks))
    return sorted((u for chunk in made for u in chunk), key=lambda u: u["seeker"])


def _populate(url: str, which: range) -> list[dict[str, Any]]:
    os.environ["FOLLOWUP_DATABASE_URL"] = url
    from psycopg_pool import ConnectionPool

    from bench.synthetic import NOW, applications
    from followup.adapters.clock import SystemClock
    from followup.adapters.contact_details import LibraryContactDetails
    from followup.adapters.holidays import HolidaysPackage
    from followup.adapters.postgres.signins import PostgresSignIns
    from followup.adapters.postgres.store import PostgresStore
    from followup.adapters.templates import TemplateDrafts
    from followup.bootstrap import config_dir
    from followup.domain.settings import Settings
    from followup.formats.interchange import write
    from followup.services import signin
    from followup.services.interchange import import_data
    from followup.services.planning import ensure_current
    from followup.services.session import Deps

    users = []
    clock, holidays = SystemClock(), HolidaysPackage()
    now = clock.now()
    with ConnectionPool(url, min_size=1, max_size=1, kwargs={"autocommit": True}) as pool:
        signins = PostgresSignIns(url, pool)
        for i in which:
            with pool.connection() as conn:
                row = conn.execute(
                    "WITH a AS (INSERT INTO account (email, role) VALUES (%s, 'seeker')"
                    " RETURNING id) INSERT INTO seeker (id) SELECT id FROM a RETURNING id",
                    (f"seeker{i}@bench.example",),
                ).fetchone()
            assert row is not None
            seeker = int(row[0])
            deps = Deps(
                store=PostgresStore(url, seeker, pool),
                clock=clock,
                holidays=holidays,
                details=LibraryContactDetails(),
                drafts=TemplateDrafts(config_dir),
            )
            ensure_current(deps.store, holidays, lambda: "Europe/Lisbon", now)  # as a new account
            apps = list(applications(APPS, seed=i))
            import_data(deps, write(Settings("Europe/Lisbon", "PT"), apps), NOW)
            session, hashed = signin.new_secret()
            signins.start_session(seeker, hashed, now, now + signin.SESSION_LIFETIME)
            token, token_hash = signin.new_secret()
            signins.add_token(seeker, token_hash, now)
            users.append(
                {"seeker": seeker, "session": session, "token": token, "application": apps[-1].id}
            )
    return users


@contextmanager
def serving(env: dict[str, str], workers: int) -> Iterator[int]:
    """``followup server run --workers N`` on a free port, until the block ends."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    argv = [FOLLOWUP, "server", "run", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    WATCHED["server"] = server.pid
    try:
        from bench.web import _wait_for

        _wait_for(port)
        time.sleep(1 + workers)  # every worker up, not only the first
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)


def _load(port: int, users: list[dict[str, Any]], mode: str, maker: str, **plan: Any) -> Any:
    """One run of ``bench/load.py`` in its own process: what it measured, and the CPU time
    each side took per visit (the server's workers, PostgreSQL, the load itself), which a
    busy machine changes less than it changes the latencies."""
    asked = {"port": port, "mode": mode, "maker": maker, "users": users, **plan}
    before = _cpu()
    client = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        input=json.dumps(asked), capture_output=True, text=True, cwd=HERE.parent, check=False,
    )  # fmt: skip
    after, client_after = _cpu(), resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench.load failed: {done.stderr[-2000:]}")
    row: dict[str, Any] = json.loads(done.stdout)
    visits = max(row["completed"], 1)
    used = client_after.ru_utime + client_after.ru_stime - client.ru_utime - client.ru_stime
    row["cpu_ms_per_visit"] = {
        "server": (after["server"] - before["server"]) * 1000 / visits,
        "postgres": (after["postgres"] - before["postgres"]) * 1000 / visits,
        "load": used * 1000 / visits,
    }
    return row


def _cpu() -> dict[str, float]:
    """CPU seconds used so far by each watched process and its descendants (/proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    used: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parent[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    found = {}
    for name, root in WATCHED.items():
        total = 0.0
        for pid, seconds in used.items():
            p = pid
            while p > 1 and p != root:
                p = parent.get(p, 0)
            total += seconds if p == root else 0.0
        found[name] = total
    return found


def stall(port: int, users: list[dict[str, Any]], url: str, rate: float) -> dict[str, Any]:
    """The open loop at ``rate`` (half the most the server gave: not overloaded) while, three times, one seeker's write waits
    :data:`STALL_SECONDS` for their write lock: the other seekers' figures, and how long
    the stalled write took."""
    import psycopg

    stalled, others = users[0], users[1:]
    waited: list[float] = []

    def hold_and_write() -> None:
        time.sleep(2)
        for _ in range(3):
            with psycopg.connect(url) as conn:  # a transaction holding the seeker's lock
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (stalled["seeker"],))
                writer = threading.Thread(target=lambda: waited.append(_write(port, stalled)))
                writer.start()
                time.sleep(STALL_SECONDS)
            writer.join()
            time.sleep(1)

    holder = threading.Thread(target=hold_and_write)
    holder.start()
    try:
        seconds = 2 + 3 * (STALL_SECONDS + 1) + 1
        row: dict[str, Any] = _load(
            port, others, "open", "today_after_write", rate=rate, seconds=seconds
        )
    finally:
        holder.join()
    return row | {"stalled_write_s": waited, "rate": rate, "stall_s": STALL_SECONDS}


def _write(port: int, user: dict[str, Any]) -> float:
    from bench.load import today_after_write

    step = today_after_write(user, 0)[0]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    try:
        conn.request(step.method, step.path, step.body, dict(step.headers))
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    return time.perf_counter() - start


def markdown(results: dict[str, Any]) -> str:
    """The server's figures as a table, and issue 15's speed aims."""
    from bench.report import _ms

    lines = [
        f"Server (`followup server run`, PostgreSQL): {results['seekers']:,} seekers × "
        f"{results['applications_each']} applications (made in {results['populate_s']:.0f} s).",
        "",
        "| workers | load | visits/s asked | achieved | Today p50 | Today p99 | max "
        "| errors, unanswered | CPU ms per visit: server, PostgreSQL, load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for workers in (2, 1):
        row = results.get(f"workers_{workers}", {})
        for name, run in row.items():
            asked = f"{run['rate_asked']:g}" if "rate_asked" in run else f"most ({run.get('concurrency')} users)"  # fmt: skip
            lines.append(
                f"| {workers} | {name} | {asked} | {run['visits_per_s']:,.0f} | "
                f"{_ms(run['p50_ms'], 1)} | {_ms(run['p99_ms'], 1)} | {_ms(run['max_ms'], 0)} | "
                f"{run['errors']}, {run.get('unfinished', 0)} | {_cpu_shown(run)} |"
            )
    one = results.get("workers_1", {}).get("most")
    two = results.get("workers_2", {}).get("most")
    if one and two:
        lines += [
            "",
            f"Most visits/s (a write and Today each, so twice as many requests): "
            f"{one['visits_per_s']:,.0f} on 1 worker, {two['visits_per_s']:,.0f} on 2 "
            f"(×{two['visits_per_s'] / one['visits_per_s']:.2f}).",
        ]
    stalled = results.get("workers_2", {}).get("stall")
    if stalled:
        waits = ", ".join(f"{s:.1f} s" for s in stalled["stalled_write_s"])
        lines += [
            "",
            f"Stall: one seeker's write waited for their lock ({waits}) while the others "
            f"visited at {stalled['rate']:g}/s: their Today p99 {_ms(stalled['p99_ms'], 1)}, "
            f"max {_ms(stalled['max_ms'])}.",
        ]
    lines += [
        "",
        "A visit: a seeker's write (an application's notes, through the API) then their "
        "Today page, the request measured (p50, p99, max). Open loop: visits start at the "
        "rate asked whatever the answers; most: 16 users back to back. CPU: the server's "
        "processes, PostgreSQL's and the load's own, per visit answered.",
    ]
    run = results.get("workers_2", {}).get("Today after a write")
    if run:
        from bench.report import _check

        aim = f"Today after a write p99 ≤ 50 ms at {results['rate']:g}/s, 2 workers"
        rate = run["visits_per_s"]
        lines += [
            "",
            "Aims (issue 15):",
            "",
            "- "
            + (
                _check(aim, run["p99_ms"], 50, "ms")
                if not run.get("unfinished")
                else f"{aim}: NOT met ({run['unfinished']:,} of {run['visits']:,} visits "
                "still unanswered 10 s after the last was sent; p99 of the others above)"
            ),
            "- "
            + _check(
                f"{results['rate']:g} visits/s achieved",
                rate,
                results["rate"] * 0.98,
                "/s",
                more=True,
            ),
        ]
    return "\n".join(lines)


def _cpu_shown(run: dict[str, Any]) -> str:
    cpu = run.get("cpu_ms_per_visit")
    return "-" if not cpu else f"{cpu['server']:.1f}, {cpu['postgres']:.1f}, {cpu['load']:.1f}"
