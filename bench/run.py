"""``make bench``: the speed figures of the README, as medians of whole-process runs.

Two shapes of synthetic job search (``bench/synthetic.py``): ``history`` (40 applications
active whatever the size) and ``backlog`` (80% active, about 1.5 actions due per
application), at each size of ``BENCH_SIZES``. Databases are generated once into
``bench/data/`` (``bench/build.py``). Each command runs as a fresh process, as a user runs
it, and Taskwarrior's ``task next`` runs beside ``followup today`` on as many pending tasks
as there are actions due (``bench/taskwarrior.py``; without Taskwarrior that column is
skipped, with a note saying how to install it).

Settings (environment variables, or ``make bench BENCH_SIZES=...``):

- ``BENCH_SIZES`` (default ``1000,10000,100000``): add ``1000000`` for the largest size.
  Generating it takes ten imports of 100,000 (about 10 minutes of CPU for the backlog,
  the first time only; 47 minutes before a large write got its own page cache, as each
  batch slowed with the database), and the code before issue 12 needs minutes per command
  there. The default sizes took 38 minutes on the same busy
  machine the first time (generation included), 17 minutes once generated.
- ``BENCH_SHAPES`` (default ``history,backlog``).
- ``BENCH_WEB_SIZES`` (default ``10000``): the sizes whose web pages are measured.
- ``BENCH_MAIL`` (default ``1``): ``0`` skips the mail sync figure.
- ``BENCH_TIMEOUT`` (default ``600``): seconds after which a command is stopped and its
  figure reported missing.
- ``BENCH_MEMORY_MB`` (default ``8000``): the address space a command may use
  (``prlimit --as``); over it, it fails with a MemoryError and its figure is missing.
- ``BENCH_OUT`` (default ``latest``): the results' file name.
- ``BENCH_SERVER`` (default ``1``): ``0`` skips the server's figures (``bench/server.py``:
  ``followup server run`` on a throwaway PostgreSQL cluster, 1,000 seekers, under load;
  20 minutes on a busy 2-core machine, most of it making the seekers; skipped with a note
  without PostgreSQL's binaries).
  ``BENCH_SERVER_SEEKERS``, ``BENCH_SERVER_RATE`` and ``BENCH_SERVER_SECONDS`` are
  described there.
- ``BENCH_ONLY`` (default: everything): ``server`` runs the server's figures alone,
  ``local`` everything else.

Results go to ``bench/results/latest.json`` and ``bench/results/latest.md`` (the tables
printed at the end, and the issue 12 aims each marked met or not), after each size.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import taskwarrior, web
from bench.build import (
    DATA,
    FOLLOWUP,
    NOW_ARG,
    build,
    describe,
    document,
    import_argv,
    source,
)
from bench.measure import RUNS, TIMEOUT, Failed, measured, side_by_side, timed
from bench.report import markdown
from bench.synthetic import NOW, SHAPES, applications, is_active

__all__ = ["document", "main"]

HERE = Path(__file__).parent
RESULTS = HERE / "results"
OUT = os.environ.get("BENCH_OUT", "latest")
#: This run's scratch files (copies of the kept databases, written files): its own, so that
#: two runs at once (a quick one beside a long one) cannot trample each other's.
WORK = DATA / f"work-{os.getpid()}"


def _ints(name: str, default: str) -> list[int]:
    return [int(s) for s in os.environ.get(name, default).replace("_", "").split(",") if s]


SIZES = _ints("BENCH_SIZES", "1000,10000,100000")
WEB_SIZES = _ints("BENCH_WEB_SIZES", "10000")
CHOSEN_SHAPES = [s for s in os.environ.get("BENCH_SHAPES", ",".join(SHAPES)).split(",") if s]
FILE_LIMIT = 100_000  # ics, export and import are measured up to this size


def attempt(row: dict[str, Any], name: str, measure: Callable[[], Any]) -> None:
    """``row[name] = measure()``, or None with the reason in ``row["notes"]``."""
    try:
        row[name] = measure()
    except Failed as e:
        row[name] = None
        row.setdefault("notes", []).append(f"{name}: {e}")
        print(f"    {name}: {e}", file=sys.stderr)


def size_row(shape: str, n: int, tasks_version: str | None) -> dict[str, Any]:
    built, made = build(shape, n)
    row: dict[str, Any] = {**describe(built), "db_mb": built.db.stat().st_size / 1e6}
    work = WORK / "work.db"
    shutil.copyfile(built.db, work)
    work_tasks = WORK / "tasks"
    shutil.rmtree(work_tasks, ignore_errors=True)
    shutil.copytree(built.tasks, work_tasks)
    (work_tasks / "taskrc").write_text(taskwarrior.rc(work_tasks))
    os.sync()  # let the copies reach the disk before timing, not during
    base = [FOLLOWUP, "--db", str(work)]
    try:
        print(f"  {shape} {n:,}: today, task next, plan, digest", file=sys.stderr)
        commands: dict[str, tuple[list[str], Mapping[str, str] | None]] = {
            "today_ms": ([*base, "today", NOW_ARG], None)
        }
        if tasks_version:
            commands["task_next_ms"] = (["task", "next"], taskwarrior.env(work_tasks))
        try:
            row.update(side_by_side(commands))
        except Failed:  # one of them failed: each on its own, to keep the other's figure
            for name, (argv, env) in commands.items():
                attempt(row, name, functools.partial(timed, argv, env=env))
        attempt(row, "plan_json_ms", lambda: timed([*base, "plan", "--json", "--horizon", "7", NOW_ARG]))  # fmt: skip
        attempt(row, "digest_ms", lambda: timed([*base, "digest", "--peek", NOW_ARG]))
        if n <= FILE_LIMIT:
            print(f"  {shape} {n:,}: ics, export, import", file=sys.stderr)
            ics = [*base, "ics", str(WORK / "plan.ics"), NOW_ARG]
            attempt(row, "ics", lambda: _files(ics, 3 if n < FILE_LIMIT else 1))
            export = [*base, "export", str(WORK / "export.json")]
            attempt(row, "export_ms", lambda: timed(export, runs=3))
            if made is not None:
                row["import"] = {"seconds": made.seconds, "peak_mb": made.peak_mb}
            else:
                fresh = WORK / "import.db"
                attempt(row, "import", lambda: _files(import_argv(fresh, source(shape, n)), 1, fresh))  # fmt: skip
        print(f"  {shape} {n:,}: log (a write and its re-plan)", file=sys.stderr)
        active = (i for i in range(n - 1, -1, -1) if is_active(n, i, shape))
        logs = [
            [*base, "log", f"app{i:07d}", "no_answer", NOW_ARG]
            for i in itertools.islice(active, RUNS + 1)  # a different application each run
        ]
        attempt(row, "log_ms", lambda: timed(logs.__getitem__, runs=len(logs) - 1))
        try:
            doctor = subprocess.run([*base, "doctor"], capture_output=True, timeout=TIMEOUT, check=False)  # fmt: skip
            row["doctor_ok"] = doctor.returncode == 0
        except subprocess.TimeoutExpired:
            row["doctor_ok"] = None
    finally:
        for path in (work, WORK / "import.db"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(work_tasks, ignore_errors=True)
        (WORK / "export.json").unlink(missing_ok=True)
        (WORK / "plan.ics").unlink(missing_ok=True)
    return row


def _files(argv: list[str], runs: int, fresh: Path | None = None) -> dict[str, float | None]:
    """Median seconds and largest peak memory of ``runs`` fresh processes (``fresh``:
    a database removed before each, for an import into an empty one)."""
    done = []
    for _ in range(runs):
        if fresh is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        done.append(measured(argv, memory=True))
    return {
        "seconds": statistics.median(r.seconds for r in done),
        "peak_mb": max((r.peak_mb for r in done if r.peak_mb is not None), default=None),
    }


def planner_speed(n: int = 100_000) -> float:
    from zoneinfo import ZoneInfo

    from followup.adapters.holidays import HolidaysPackage
    from followup.domain.calendar import Calendar
    from followup.domain.planner import plan
    from followup.domain.policy import Policy

    apps = list(applications(n))
    cal = Calendar(ZoneInfo("Europe/Lisbon"), HolidaysPackage()("PT"))
    plan(apps[:1000], Policy(), NOW, cal)  # warm the holiday cache
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        plan(apps, Policy(), NOW, cal)
        samples.append(time.perf_counter() - start)
    return n / statistics.median(samples)


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(HERE.parent), "describe", "--always", "--dirty"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout.strip() or "unknown"


def main() -> None:
    # Bytecode as a user's install has it, even where PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True)
    tasks_version = taskwarrior.available()
    if tasks_version is None:
        print(
            f"Taskwarrior not found ({taskwarrior.INSTALL}): the `task next` column is skipped",
            file=sys.stderr,
        )
    started = time.perf_counter()
    only = os.environ.get("BENCH_ONLY", "")
    results: dict[str, Any]
    if only == "server":
        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_at_start": os.getloadavg()[0],
        }
        _server(results)
        results["bench_minutes"] = (time.perf_counter() - started) / 60
        _save(results)
        print(markdown(results))
        return
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_at_start": os.getloadavg()[0],
        "taskwarrior": tasks_version,
        "python_startup_ms": timed([sys.executable, "-c", "pass"]),
        "import_click_sqlite3_ms": timed([sys.executable, "-c", "import click, sqlite3"]),
        "planner_apps_per_second": planner_speed(),
        "shapes": {},
        "web": {},
    }
    RESULTS.mkdir(exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    try:
        _measure_all(results)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    if only != "local":
        _server(results)
    results["bench_minutes"] = (time.perf_counter() - started) / 60
    _save(results)
    print(markdown(results))


def _measure_all(results: dict[str, Any]) -> None:
    tasks_version = results["taskwarrior"]
    for shape in CHOSEN_SHAPES:
        results["shapes"][shape] = {}
        for n in SIZES:
            print(f"{shape}, {n:,} applications...", file=sys.stderr)
            results["shapes"][shape][str(n)] = size_row(shape, n, tasks_version)
            _save(results)  # a long run leaves what it measured so far
    for shape in CHOSEN_SHAPES:
        results["web"][shape] = {}
        for n in WEB_SIZES:
            print(f"web pages, {shape}, {n:,} applications...", file=sys.stderr)
            built, _ = build(shape, n)
            work = WORK / "web.db"
            shutil.copyfile(built.db, work)
            application = next(
                f"app{i:07d}" for i in range(n - 1, -1, -1) if is_active(n, i, shape)
            )
            try:
                results["web"][shape][str(n)] = web.measure(work, application)
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{work}{suffix}").unlink(missing_ok=True)
            _save(results)
    if os.environ.get("BENCH_MAIL", "1") != "0":
        from bench import mail

        print("sync of a 2,000-message folder...", file=sys.stderr)
        results["mail"] = mail.measure()


def _server(results: dict[str, Any]) -> None:
    """The server's figures (``bench/server.py``), unless ``BENCH_SERVER=0``."""
    if os.environ.get("BENCH_SERVER", "1") == "0":
        print("BENCH_SERVER=0: the server's figures are skipped", file=sys.stderr)
        return
    from bench import server

    print("the server on PostgreSQL...", file=sys.stderr)
    results["server"] = server.measure()
    _save(results)


def _save(results: dict[str, Any]) -> None:
    results["load_now"] = os.getloadavg()[0]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{OUT}.json").write_text(json.dumps(results, indent=2))
    (RESULTS / f"{OUT}.md").write_text(markdown(results) + "\n")


if __name__ == "__main__":
    main()
