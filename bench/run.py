"""``make bench``: the speed figures of the README, as medians of whole-process runs.

Synthetic job searches of 1,000 to 1,000,000 applications (``bench/synthetic.py``) are
generated once into ``bench/data/`` (up to 100,000 through ``followup import``, which is
itself measured; 1,000,000 through the same bulk path in chunks, since its JSON file
would be about 1.5 GB). Then each command runs as a fresh process, as a user runs it.
Set BENCH_SIZES=1000,10000 to run fewer sizes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.synthetic import NOW, applications

HERE = Path(__file__).parent
DATA = HERE / "data"
RESULTS = HERE / "results"
FOLLOWUP = str(Path(sys.executable).parent / "followup")
GENERATOR = "4"  # bump when synthetic.py changes, to regenerate the cached databases
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000,100000,1000000").split(",")]
IMPORT_LIMIT = 100_000
RUNS = 15
NOW_ARG = f"--now={NOW.isoformat()}"


def timed(args: list[str], runs: int = RUNS, setup: Any = None) -> float:
    """Median wall time in ms of a fresh process running ``args``, after one warm-up run."""
    samples = []
    for i in range(-1, runs):
        argv = setup(i + 1) if setup else args
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, check=False)
        if i >= 0:
            samples.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")
    return statistics.median(samples)


def document(n: int) -> dict[str, Any]:
    from followup.domain.settings import Settings
    from followup.formats.interchange import write

    return write(Settings("Europe/Lisbon", "PT"), list(applications(n)))


def build(n: int) -> tuple[Path, float | None]:
    """The database of ``n`` applications, and the seconds its import took (if imported)."""
    DATA.mkdir(parents=True, exist_ok=True)
    db = DATA / f"{n}-v{GENERATOR}.db"
    stamp = DATA / f"{n}-v{GENERATOR}.import-seconds"
    if db.exists():
        return db, float(stamp.read_text()) if stamp.exists() else None
    for old in DATA.glob(f"{n}-v*"):
        old.unlink()
    if n <= IMPORT_LIMIT:
        source = DATA / f"{n}.json"
        source.write_text(json.dumps(document(n)))
        start = time.perf_counter()
        subprocess.run(
            [FOLLOWUP, "--db", str(db), "import", str(source), NOW_ARG],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        stamp.write_text(f"{seconds:.3f}")
        source.unlink()
        return db, seconds
    bulk_load(db, n)
    return db, None


def bulk_load(db: Path, n: int, chunk: int = 50_000) -> None:
    """What ``import`` does, in chunks of whole companies, without a 1.5 GB JSON file."""
    from followup import bootstrap
    from followup.domain.settings import Settings
    from followup.services.session import writing

    deps = bootstrap.build(str(db), NOW)
    with deps.store.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT"))
    batch = []
    for app in applications(n):
        batch.append(app)
        if len(batch) >= chunk:
            with writing(deps, NOW) as s:
                s.save_many(batch)
            batch = []
            print(f"  loaded {app.id}", file=sys.stderr)
    with writing(deps, NOW) as s:
        s.save_many(batch)


WEB_SIZE = 10_000
WEB_PAGES = {
    "today": "/",
    "applications": "/applications",
    "application": "/applications/app0009999",
}


def web_load(db: Path) -> dict[str, Any]:
    """Requests/s and p50/p99 latency at 16 connections, one server worker (wrk)."""
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install wrk): web figures skipped", file=sys.stderr)
        return {}
    results: dict[str, Any] = {}
    for cache in (True, False):
        port = 8900 + cache
        argv = [sys.executable, "-m", "bench.serve", str(db), str(port)]
        server = subprocess.Popen([*argv] if cache else [*argv, "--no-cache"], cwd=HERE.parent)
        try:
            _wait_for(port)
            for name, path in WEB_PAGES.items():
                url = f"http://127.0.0.1:{port}{path}"
                subprocess.run(["wrk", "-t1", "-c4", "-d1s", url], capture_output=True, check=True)
                out = subprocess.run(
                    ["wrk", "-t2", "-c16", "-d8s", "--latency", "-H", f"Host: 127.0.0.1:{port}", url],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
                results[f"{name}{'' if cache else '_uncached'}"] = _wrk(out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return results


def _wait_for(port: int) -> None:
    import socket

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"the benchmark server on port {port} did not start")


def _wrk(output: str) -> dict[str, float]:
    import re

    def ms(label: str) -> float:
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert found, output
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rps, output
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    assert errors is None, output
    return {"rps": float(rps.group(1)), "p50_ms": ms("50%"), "p99_ms": ms("99%")}


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


def main() -> None:
    # Bytecode as a user's install has it, even where PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True)
    results: dict[str, Any] = {
        "python_startup_ms": timed([sys.executable, "-c", "pass"]),
        "import_click_sqlite3_ms": timed([sys.executable, "-c", "import click, sqlite3"]),
        "planner_apps_per_second": planner_speed(),
        "sizes": {},
    }
    for n in SIZES:
        print(f"{n:,} applications...", file=sys.stderr)
        db, import_seconds = build(n)
        work = DATA / f"work-{n}.db"
        shutil.copyfile(db, work)
        os.sync()  # let the copy reach the disk before timing, not during
        base = [FOLLOWUP, "--db", str(work)]
        logs = [[*base, "log", f"app{i:07d}", "no_answer", NOW_ARG] for i in range(n - RUNS - 1, n)]
        row = {
            "today_ms": timed([*base, "today", NOW_ARG]),
            "plan_json_ms": timed([*base, "plan", "--json", "--horizon", "7", NOW_ARG]),
            "log_ms": timed([], setup=logs.__getitem__),
            "export_ms": timed([*base, "export", str(DATA / "export.json")], runs=3)
            if n <= IMPORT_LIMIT
            else None,
            "digest_ms": timed([*base, "digest", "--peek", NOW_ARG]),
            "ics_ms": timed([*base, "ics", str(DATA / "plan.ics"), NOW_ARG], runs=5),
            "import_s": import_seconds,
            "db_mb": db.stat().st_size / 1e6,
        }
        doctor = subprocess.run([*base, "doctor"], capture_output=True, text=True, check=False)
        row["doctor_ok"] = doctor.returncode == 0
        results["sizes"][str(n)] = row
        work.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        (DATA / "export.json").unlink(missing_ok=True)
        (DATA / "plan.ics").unlink(missing_ok=True)
    if WEB_SIZE in SIZES:
        results["web"] = web_load(build(WEB_SIZE)[0])
    from bench import mail

    print("sync of a 2,000-message folder...", file=sys.stderr)
    results["mail"] = mail.measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    print(markdown(results))


def markdown(results: dict[str, Any]) -> str:
    def fmt(value: float | None, unit: str) -> str:
        return "-" if value is None else f"{value:,.0f} {unit}" if unit != "s" else f"{value:.1f} s"

    lines = [
        "| applications | `today` | `plan --json` | one `log` | `digest` | `ics` | `import` "
        "| `export` | database |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, row in results["sizes"].items():
        lines.append(
            f"| {int(n):,} | {fmt(row['today_ms'], 'ms')} | {fmt(row['plan_json_ms'], 'ms')} | "
            f"{fmt(row['log_ms'], 'ms')} | {fmt(row['digest_ms'], 'ms')} | {fmt(row['ics_ms'], 'ms')} | "
            f"{fmt(row['import_s'], 's')} | {fmt(row['export_ms'], 'ms')} | "
            f"{row['db_mb']:,.0f} MB |"
        )
    if results.get("web"):
        lines += [
            "",
            f"| web page, {WEB_SIZE:,} applications | requests/s | p50 | p99 |",
            "|---|---:|---:|---:|",
        ]
        for name, row in results["web"].items():
            lines.append(
                f"| {name} | {row['rps']:,.0f} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms |"
            )
    lines.append("")
    if "mail" in results:
        from bench import mail

        lines += [mail.markdown(results["mail"]), ""]
    lines.append(
        f"Planner alone: {results['planner_apps_per_second']:,.0f} applications/s. "
        f"Floor: Python starts in {results['python_startup_ms']:.0f} ms, "
        f"and imports Click and sqlite3 in {results['import_click_sqlite3_ms']:.0f} ms."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
