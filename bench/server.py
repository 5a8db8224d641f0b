"""The server's figures (issue 15): ``followup server run`` on PostgreSQL, under load.

- A throwaway PostgreSQL cluster (``tests/pg_cluster.py``'s way: the system's binaries,
  ``initdb`` as the ``postgres`` user, a free port on 127.0.0.1) set up as a small
  production server is (:data:`PG_SETTINGS`: durability on, unlike the tests'),
  :data:`SEEKERS` seekers of :data:`APPS` applications each (the ``history``
  shape of ``bench/synthetic.py``, a seed per seeker), :data:`TEMPLATES` of them imported
  through the services and the others copies of those in SQL, each seeker signed in (a
  session and an API token, made through the sign-in store: no argon2id per seeker); a
  coach for every :data:`CASELOAD` seekers, who share their search with them.
- ``followup server run --workers 2`` (then ``--workers 1``), as a user runs it.
- The load comes from another process (``bench/load.py``): an open loop at
  :data:`RATE` *requests*/s, as issue 15 counts them, where each visit is two requests, a
  seeker's write then their Today page (the page measured): 500 requests/s are 250
  visits/s. Then the most a server gives (16 users back to back) at 1 and 2 workers, an
  open loop at 80% of that (the latency at a rate this machine sustains, whatever it is),
  and a *stall*: one seeker's write waits 2 s for their write lock (held by another
  transaction, as a long import or a job would) while the others keep coming, which shows
  whether one slow request holds the others of its worker.
- Every rate is reported both ways, requests/s and visits/s, and per worker: how the most
  a server gives grows from 1 worker to 2.

Settings: ``BENCH_SERVER=0`` skips it; ``BENCH_SERVER_SEEKERS`` (default 1000),
``BENCH_SERVER_RATE`` (requests/s, default 500), ``BENCH_SERVER_CASELOAD_RATE``
(requests/s, one a visit, default 50), ``BENCH_SERVER_SECONDS`` (default 20, each load);
``BENCH_SERVER_LOADS=caseload``: the caseload alone, on 2 workers, after every seeker wrote
once since the warm-up (a quick measure of that page).

To measure one more page: add its visit maker to ``bench/load.py``'s ``MAKERS`` (a function
of a user and a number giving the requests of one visit, the last one measured), and a line
to :data:`PAGES` naming it, the kind of user who visits (made in :func:`users_of`: seekers,
coaches), its rate in requests/s and its aim.
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
#: Requests per second asked of the server (issue 15: "500 requests/s"); a visit of Today
#: after a write is two requests, so this is :data:`RATE` / 2 visits/s.
RATE = float(os.environ.get("BENCH_SERVER_RATE", "500"))
SECONDS = float(os.environ.get("BENCH_SERVER_SECONDS", "20"))
#: The bench's PostgreSQL, set up as a small production server would be, not as the tests'
#: throwaway clusters (32 MB of shared buffers, no crash safety): crash-safe (``fsync``,
#: ``full_page_writes``: PostgreSQL's defaults), shared buffers a quarter of a 1 GB
#: machine's memory (PostgreSQL's default is 128 MB; the 1,000 seekers' database is about
#: 220 MB), the planner told the rest is the operating system's cache, and PostgreSQL's
#: default ``max_connections``. A commit does not wait for its flush to disk
#: (``synchronous_commit=off``, a common production choice: a crash may lose the last
#: fraction of a second of commits, never corrupts): this machine's virtual disk takes
#: about 10 ms for one synced 8 kB write (``dd oflag=dsync``), where a server's SSD takes
#: well under 1 ms, and waiting for it would measure this disk, not followup.
PG_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "off",
    "full_page_writes": "on",
    "shared_buffers": "256MB",
    "effective_cache_size": "768MB",
    "work_mem": "4MB",
    "maintenance_work_mem": "64MB",
    "max_connections": "100",
}
#: The processes whose CPU time is counted: the server's (``followup server run``, its
#: workers) and PostgreSQL's (the postmaster, its backends).
WATCHED = {"server": -1, "postgres": -1}
SECRET_KEY = "bench-secret-key-" + "b" * 32
#: How many seekers share their search with each coach.
CASELOAD = 50
#: Coaches' caseload requests per second, one a visit (a coach opens it a few times an
#: hour: a few dozen coaches give far less than this).
CASELOAD_RATE = float(os.environ.get("BENCH_SERVER_CASELOAD_RATE", "50"))
#: The pages measured under the open loop: a name, its visit maker (``bench/load.py``'s
#: ``MAKERS``), the kind of users who visit (a key of what :func:`users_of` makes), the
#: requests per second asked, the p99 aimed at (issue 15), and whether each user first
#: visits twice, 2 at a time (measured apart: a worker's first look at a caseload).
PAGES = {
    "Today after a write": ("today_after_write", "seekers", RATE, 50.0, False),
    "Caseload (50 seekers)": ("caseload", "coaches", CASELOAD_RATE, 100.0, True),
}
STALL_SECONDS = 2.0
#: Only the caseload's loads (``BENCH_SERVER_LOADS=caseload``).
ONLY_CASELOAD = os.environ.get("BENCH_SERVER_LOADS", "") == "caseload"


def measure() -> dict[str, Any] | None:
    """Every figure of the server, or None (with a message) when it cannot run here."""
    from tests.pg_cluster import INSTALL, binaries, running_cluster

    found = binaries()
    if found is None:
        print(f"PostgreSQL not found ({INSTALL}): the server's figures are skipped", file=sys.stderr)  # fmt: skip
        return None
    results: dict[str, Any] = {"seekers": SEEKERS, "applications_each": APPS, "rate": RATE}
    with running_cluster(found, PG_SETTINGS) as cluster:
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
        for workers in (2,) if ONLY_CASELOAD else (2, 1):
            with serving(env, workers) as port:
                results[f"workers_{workers}"] = _run_loads(port, kinds, url, workers)
    return results


def users_of(url: str, seekers: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Every kind of user a page of :data:`PAGES` is visited by: the seekers, and coaches
    (one per :data:`CASELOAD` seekers, each sharing their search with that coach through
    the coaching adapter, as ``POST /api/sharing`` does), each signed in."""
    from psycopg_pool import ConnectionPool

    from followup.adapters.clock import SystemClock
    from followup.adapters.postgres.coaching import PostgresCoaching

    now = SystemClock().now()
    emails = [f"coach{c}@bench.example" for c in range(max(1, len(seekers) // CASELOAD))]
    with ConnectionPool(url, min_size=1, max_size=1, kwargs={"autocommit": True}) as pool:
        with pool.connection() as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    "INSERT INTO account (email, role) SELECT e, 'coach'"
                    " FROM unnest(%s::text[]) WITH ORDINALITY AS x(e, n) ORDER BY n"
                    " RETURNING id",
                    (emails,),
                )
            ]
        coaching = PostgresCoaching(url, pool)
        for k, seeker in enumerate(seekers[: len(emails) * CASELOAD]):
            assert coaching.share(seeker["seeker"], emails[k // CASELOAD], now) is not None
    coaches = _signed_in(url, ids)
    return {"seekers": seekers, "coaches": coaches}


def _run_loads(
    port: int, kinds: dict[str, list[dict[str, Any]]], url: str, workers: int
) -> dict[str, Any]:
    users = kinds["seekers"]
    row: dict[str, Any] = {}
    print(f"  server, {workers} workers: every seeker once (warm-up)", file=sys.stderr)
    _load(port, users, "each", "today_again", concurrency=8)  # each worker meets each seeker
    _load(port, kinds["coaches"], "each", "caseload", concurrency=4)
    if ONLY_CASELOAD:  # every seeker changed since the warm-up, as the whole run leaves them
        _load(port, users, "each", "write_only", concurrency=8)
        name = "Caseload (50 seekers)"
        maker, kind, rate, _, _ = PAGES[name]
        row[f"{name}, first visits"] = _load(port, kinds[kind] * 2, "each", maker, concurrency=2)  # fmt: skip
        row[name] = _load(port, kinds[kind], "open", maker, rate=rate, seconds=SECONDS)
        return row
    print(f"  server, {workers} workers: most visits/s", file=sys.stderr)
    most = _load(port, users, "closed", "today_after_write", concurrency=16, seconds=SECONDS)
    if workers == 2:
        for name, (maker, kind, rate, _, first) in PAGES.items():
            if first:
                print(f"  server, {workers} workers: {name}, first visits", file=sys.stderr)
                row[f"{name}, first visits"] = _load(port, kinds[kind] * 2, "each", maker, concurrency=2)  # fmt: skip
            visits = rate / requests_per_visit(maker)
            print(f"  server, {workers} workers: {name} at {rate:g} requests/s ({visits:g} visits/s)", file=sys.stderr)  # fmt: skip
            row[name] = _load(port, kinds[kind], "open", maker, rate=visits, seconds=SECONDS)
            _settle()
        rate = max(1.0, round(most["visits_per_s"] * 0.8))
        print(f"  server, {workers} workers: at {rate:g} visits/s (80% of the most)", file=sys.stderr)  # fmt: skip
        row["at 80% of the most"] = _load(port, users, "open", "today_after_write", rate=rate, seconds=SECONDS)  # fmt: skip
        _settle()
        rate = max(1.0, round(most["visits_per_s"] / 2))
        print(f"  server, {workers} workers: a stall, at {rate:g} visits/s", file=sys.stderr)
        row["stall"] = stall(port, users, url, rate)
    row["most"] = most
    for run in row.values():
        run["workers"] = workers
    return row


def requests_per_visit(maker: str) -> int:
    """How many requests one visit of ``maker`` sends (``bench/load.py``'s ``MAKERS``)."""
    from bench.load import MAKERS

    user = {"application": "a", "token": "t", "session": "s", "seeker": 1}
    return len(MAKERS[maker](user, 0))


def populate(url: str, n: int) -> list[dict[str, Any]]:
    """``n`` seekers with their applications, sessions and tokens.

    :data:`TEMPLATES` of them are imported through the services (in two processes), as a
    user's import makes them; every other seeker is a copy of one of those, made in SQL
    (:func:`_copy_seekers`): the same rows under its own seeker key, which is what
    importing the same file again for that seeker would store, minutes faster."""
    made_first = min(n, TEMPLATES)
    chunks = [range(k, made_first, 2) for k in range(min(2, made_first))]
    with ProcessPoolExecutor(len(chunks)) as pool:
        made = list(pool.map(_populate, [url] * len(chunks), chunks))
    templates = sorted((u for chunk in made for u in chunk), key=lambda u: u["seeker"])
    return templates + _copy_seekers(url, templates, range(made_first, n))


#: How many seekers are imported through the services; the others copy their rows.
TEMPLATES = 8


def _copy_seekers(url: str, templates: list[dict[str, Any]], which: range) -> list[dict[str, Any]]:
    """A seeker of each number in ``which``: an account, and every row of the template
    seeker ``templates[i % len(templates)]`` in each table keyed by ``seeker_id`` (its
    records, history, settings, stored plan), copied with the new seeker's key; ids
    stay as they were (every key starts with ``seeker_id``), identity columns too."""
    if not which:
        return []
    from graphlib import TopologicalSorter

    import psycopg

    pairs = [(templates[i % len(templates)], i) for i in which]
    with psycopg.connect(url, autocommit=False) as conn:
        made = conn.execute(
            "INSERT INTO account (email, role) SELECT 'seeker' || i || '@bench.example',"
            " 'seeker' FROM unnest(%s::bigint[]) AS i RETURNING id, email",
            ([i for _, i in pairs],),
        ).fetchall()
        ids = {email: int(id_) for id_, email in made}
        copies = [(t["seeker"], ids[f"seeker{i}@bench.example"]) for t, i in pairs]
        conn.execute("CREATE TEMP TABLE copy_of (template bigint, seeker bigint)")
        with conn.cursor().copy("COPY copy_of (template, seeker) FROM STDIN") as copy:
            for row in copies:
                copy.write_row(row)
        conn.execute(
            "INSERT INTO seeker (id, changes, plan_version) SELECT c.seeker, s.changes,"
            " s.plan_version FROM copy_of c JOIN seeker s ON s.id = c.template"
        )
        keyed = [
            r[0]
            for r in conn.execute(
                "SELECT c.table_name FROM information_schema.columns c"
                " JOIN information_schema.tables t USING (table_schema, table_name)"
                " WHERE c.column_name = 'seeker_id' AND c.table_schema = current_schema()"
                " AND t.table_type = 'BASE TABLE'"
            )
        ]
        order: TopologicalSorter[str] = TopologicalSorter({t: set() for t in keyed})
        for table, needs in conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid <> confrelid"
        ):
            if table in keyed and needs in keyed:
                order.add(table, needs)
        for table in order.static_order():
            columns = [
                r[0]
                for r in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                    " AND table_schema = current_schema() AND is_generated = 'NEVER'"
                    " ORDER BY ordinal_position",
                    (table,),
                )
            ]
            chosen = ", ".join("c.seeker" if c == "seeker_id" else f"t.{c}" for c in columns)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) OVERRIDING SYSTEM VALUE"
                f" SELECT {chosen} FROM {table} t JOIN copy_of c ON t.seeker_id = c.template"
            )
        conn.execute("ANALYZE")
    users = _signed_in(url, [c for _, c in copies])
    return [u | {"application": t["application"]} for (t, _), u in zip(pairs, users, strict=True)]


def _signed_in(url: str, accounts: list[int]) -> list[dict[str, Any]]:
    """A session and an API token for each account, through the sign-in store."""
    from psycopg_pool import ConnectionPool

    from followup.adapters.clock import SystemClock
    from followup.adapters.postgres.signins import PostgresSignIns
    from followup.services import signin

    now = SystemClock().now()
    users = []
    with ConnectionPool(url, min_size=1, max_size=1, kwargs={"autocommit": True}) as pool:
        signins = PostgresSignIns(url, pool)
        for account in accounts:
            session, hashed = signin.new_secret()
            signins.start_session(account, hashed, now, now + signin.SESSION_LIFETIME)
            token, token_hash = signin.new_secret()
            signins.add_token(account, token_hash, now)
            users.append({"seeker": account, "session": session, "token": token})
    return users


def _populate(url: str, which: range) -> list[dict[str, Any]]:
    os.environ["FOLLOWUP_DATABASE_URL"] = url
    from psycopg_pool import ConnectionPool

    from bench.synthetic import NOW, applications
    from followup.adapters.clock import SystemClock
    from followup.adapters.contact_details import LibraryContactDetails
    from followup.adapters.holidays import HolidaysPackage
    from followup.adapters.postgres.store import PostgresStore
    from followup.adapters.templates import TemplateDrafts
    from followup.bootstrap import config_dir
    from followup.domain.settings import Settings
    from followup.formats.interchange import write
    from followup.services.interchange import import_data
    from followup.services.planning import ensure_current
    from followup.services.session import Deps

    made = []
    clock, holidays = SystemClock(), HolidaysPackage()
    now = clock.now()
    with ConnectionPool(url, min_size=1, max_size=1, kwargs={"autocommit": True}) as pool:
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
            made.append((seeker, apps[-1].id))
    users = _signed_in(url, [seeker for seeker, _ in made])
    return [u | {"application": app} for (_, app), u in zip(made, users, strict=True)]


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
    row["requests_per_visit"] = requests_per_visit(maker)
    visits = max(row["completed"], 1)
    used = client_after.ru_utime + client_after.ru_stime - client.ru_utime - client.ru_stime
    row["cpu_ms_per_visit"] = {
        "server": (after["server"] - before["server"]) * 1000 / visits,
        "postgres": (after["postgres"] - before["postgres"]) * 1000 / visits,
        "load": used * 1000 / visits,
    }
    return row


def _settle(most_s: float = 120.0) -> None:
    """Wait until the server is idle: an open loop the server could not keep up with
    leaves it answering requests the load has given up on, which would slow the next
    load's figures (its CPU time has stopped growing: under 5% of a CPU for 1 s)."""
    deadline = time.monotonic() + most_s
    before = _cpu()["server"]
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu()["server"]
        if now - before < 0.05:
            return
        before = now


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
    """The server's figures as a table (requests/s and visits/s, per worker too), how the
    most grows with workers, and issue 15's speed aims."""
    from bench.report import _ms

    lines = [
        f"Server (`followup server run`, PostgreSQL): {results['seekers']:,} seekers × "
        f"{results['applications_each']} applications (made in {results['populate_s']:.0f} s). "
        "PostgreSQL set up as a small production server: "
        + ", ".join(f"{k}={v}" for k, v in PG_SETTINGS.items())
        + " (the tests' clusters: 32 MB of shared buffers, durability off).",
        "",
        "| workers | load | requests/s asked (visits/s) | achieved requests/s (visits/s) "
        "| per worker | p50 | p99 | max | errors, unanswered "
        "| CPU ms per visit: server, PostgreSQL, load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for workers in (2, 1):
        row = results.get(f"workers_{workers}", {})
        for name, run in row.items():
            per = run.get("requests_per_visit", 1)
            asked = (
                f"{run['rate_asked'] * per:g} ({run['rate_asked']:g})" if "rate_asked" in run
                else f"most ({run['concurrency']} users)" if "concurrency" in run
                else "each user twice, 2 at a time"
            )  # fmt: skip
            achieved = _requests_per_s(run)
            lines.append(
                f"| {workers} | {name} | {asked} | {achieved:,.0f} ({run['visits_per_s']:,.0f}) | "
                f"{achieved / workers:,.0f} | "
                f"{_ms(run['p50_ms'], 1)} | {_ms(run['p99_ms'], 1)} | {_ms(run['max_ms'], 0)} | "
                f"{run['errors']}, {run.get('unfinished', 0)} | {_cpu_shown(run)} |"
            )
    one = results.get("workers_1", {}).get("most")
    two = results.get("workers_2", {}).get("most")
    if one and two:
        r1, r2 = _requests_per_s(one), _requests_per_s(two)
        lines += [
            "",
            f"Most requests/s (Today after a write: two requests a visit): {r1:,.0f} on 1 "
            f"worker ({one['visits_per_s']:,.0f} visits/s), {r2:,.0f} on 2 "
            f"({two['visits_per_s']:,.0f} visits/s, {r2 / 2:,.0f} requests/s per worker): "
            f"×{r2 / r1:.2f} from 1 worker to 2.",
        ]
    stalled = results.get("workers_2", {}).get("stall")
    if stalled:
        waits = ", ".join(f"{s:.1f} s" for s in stalled["stalled_write_s"])
        lines += [
            "",
            f"Stall: one seeker's write waited for their lock ({waits}) while the others "
            f"visited at {stalled['rate']:g} visits/s: their Today p99 "
            f"{_ms(stalled['p99_ms'], 1)}, max {_ms(stalled['max_ms'])}.",
        ]
    lines += [
        "",
        "A visit: a seeker's write through the API (every other one an application's "
        "position, which re-plans its company; the others its notes, saved without a "
        "re-plan) then their "
        "Today page, the page measured (p50, p99, max); or a coach's caseload page, one "
        f"request ({CASELOAD} seekers sharing with each coach). Requests/s count every "
        "request (the writes too), visits/s the visits. Open loop: visits start at the "
        "rate asked whatever the answers; most: 16 users back to back. Per worker: the "
        "requests/s achieved over the workers. CPU: the server's processes, PostgreSQL's "
        "and the load's own, per visit answered.",
    ]
    from bench.report import _check

    aims = []
    for name, (_, _, _, p99, _) in PAGES.items():
        run = results.get("workers_2", {}).get(name)
        if not run:
            continue
        asked = run["rate_asked"] * run.get("requests_per_visit", 1)
        rate = f"{asked:g} requests/s ({run['rate_asked']:g} visits/s)"
        aim = f"{name} p99 ≤ {p99:g} ms at {rate}, 2 workers"
        aims.append(
            _check(aim, run["p99_ms"], p99, "ms")
            if not run.get("unfinished")
            else f"{aim}: NOT met ({run['unfinished']:,} of {run['visits']:,} visits "
            "still unanswered 10 s after the last was sent; p99 of the others above)"
        )
        aims.append(
            _check(
                f"{name}: {asked:g} requests/s achieved",
                _requests_per_s(run),
                asked * 0.98,
                "/s",
                more=True,
            )
        )
    if aims:
        lines += ["", "Aims (issue 15):", ""] + [f"- {aim}" for aim in aims]
    return "\n".join(lines)


def _requests_per_s(run: dict[str, Any]) -> float:
    """The requests answered per second: every request of each visit answered."""
    return float(run["visits_per_s"]) * int(run.get("requests_per_visit", 1))


def _cpu_shown(run: dict[str, Any]) -> str:
    cpu = run.get("cpu_ms_per_visit")
    return "-" if not cpu else f"{cpu['server']:.1f}, {cpu['postgres']:.1f}, {cpu['load']:.1f}"
