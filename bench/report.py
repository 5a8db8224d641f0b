"""The benchmark's results as Markdown tables, and issue 12's aims each marked met or not.

The aims are reported, never asserted: a figure over its aim is information for the
README, not a failed run (timings depend on the machine and on what else runs on it).
"""

from __future__ import annotations

import math
from typing import Any

#: "Flat from 1k to 1M": the largest size's ``today`` within this factor of the smallest's.
FLAT = 1.25


def markdown(results: dict[str, Any]) -> str:
    if "shapes" not in results:  # BENCH_ONLY=server
        return _head(results) + "\n\n" + _server(results)
    return _local(results) + (f"\n\n{_server(results)}" if "server" in results else "")


def _head(results: dict[str, Any]) -> str:
    return (
        f"followup benchmark, {results['when']}, commit {results['commit']}, Python "
        f"{results['python']}, {results['cpus']} CPUs (load {results['load_at_start']:.1f} at "
        f"start, {results.get('load_now', 0):.1f} at the last figure)."
    )


def _server(results: dict[str, Any]) -> str:
    from bench import server

    if results.get("server") is None:
        return "Server: not measured (PostgreSQL's binaries not found, or BENCH_SERVER=0)."
    return server.markdown(results["server"])


def _local(results: dict[str, Any]) -> str:
    lines = [
        f"followup benchmark, {results['when']}, commit {results['commit']}, Python "
        f"{results['python']}, {results['cpus']} CPUs (load {results['load_at_start']:.1f} at "
        f"start, {results.get('load_now', 0):.1f} at the last figure), Taskwarrior "
        f"{results['taskwarrior'] or 'not installed'}.",
        "",
        "| shape | applications | active | actions due | `today` | `task next` | today/task "
        "| `plan --json` | `digest` | one `log` |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for shape, sizes in results["shapes"].items():
        for n, row in sizes.items():
            ratio = _ratio(row.get("today_ms"), row.get("task_next_ms"))
            lines.append(
                f"| {shape} | {int(n):,} | {row['active']:,} | {row['due']:,} | "
                f"{_ms(row.get('today_ms'))} | {_ms(row.get('task_next_ms'))} | {ratio} | "
                f"{_ms(row.get('plan_json_ms'))} | {_ms(row.get('digest_ms'))} | "
                f"{_ms(row.get('log_ms'))} |"
            )
    lines += [
        "",
        "| shape | applications | `ics` | `import` | `export` | database | generated in |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for shape, sizes in results["shapes"].items():
        for n, row in sizes.items():
            batches = f" ({row['batches']} imports)" if row["batches"] > 1 else ""
            lines.append(
                f"| {shape} | {int(n):,} | {_run(row.get('ics'))} | {_run(row.get('import'))} | "
                f"{_ms(row.get('export_ms'))} | {row['db_mb']:,.0f} MB | "
                f"{row['generation_s']:,.0f} s{batches} |"
            )
    flat = [
        f"{shape} {_ratio(sizes[max(sizes, key=int)].get('today_ms'), sizes[min(sizes, key=int)].get('today_ms'))}"
        f" ({int(min(sizes, key=int)):,} to {int(max(sizes, key=int)):,})"
        for shape, sizes in results["shapes"].items()
        if len(sizes) > 1
    ]
    if flat:
        lines += ["", f"`today` at the largest size over the smallest: {', '.join(flat)}."]
    web = [(s, n, page, row) for s, sizes in results.get("web", {}).items()
           for n, pages in sizes.items() for page, row in pages.items()]  # fmt: skip
    if web:
        lines += [
            "",
            "| shape | applications | page | afresh p50 | afresh p99 | HTML | afresh requests/s "
            "(p99) | cached requests/s (p99) |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
        ]
        for shape, n, page, row in web:
            one = row["afresh_one_user"]
            lines.append(
                f"| {shape} | {int(n):,} | {page} | {_ms(one['p50_ms'], 1)} | "
                f"{_ms(one['p99_ms'], 1)} | {_size(one['html_kb'])} | "
                f"{_wrk(row.get('afresh_wrk'))} | {_wrk(row.get('cached_wrk'))} |"
            )
        lines += [
            "",
            "Afresh: the page cache off, every request renders the page (one user: one request "
            "at a time). Requests/s: one server worker, 16 connections (wrk). A fixed page "
            "(the floor): Today's size, returned as it is through the same server, middleware "
            "and routing: the most one worker serves, whatever a page costs to make.",
        ]
    if "mail" in results:
        from bench import mail

        lines += ["", mail.markdown(results["mail"])]
    lines += [
        "",
        f"Planner alone: {results['planner_apps_per_second']:,.0f} applications/s. Floor: Python "
        f"starts in {results['python_startup_ms']:.0f} ms, and imports Click and sqlite3 in "
        f"{results['import_click_sqlite3_ms']:.0f} ms.",
        "",
        "Aims (issue 12):",
        "",
        *(f"- {line}" for line in aims(results)),
    ]
    notes = [f"{shape} {n}: {note}" for shape, sizes in results["shapes"].items()
             for n, row in sizes.items() for note in row.get("notes", [])]  # fmt: skip
    if notes:
        lines += ["", "Missing figures:", "", *(f"- {note}" for note in notes)]
    if "bench_minutes" in results:
        lines += ["", f"The whole run took {results['bench_minutes']:.0f} minutes."]
    return "\n".join(lines)


def aims(results: dict[str, Any]) -> list[str]:
    """One line per aim and shape: the figure and whether it meets the aim."""
    out = []
    for shape, sizes in results["shapes"].items():
        today = {int(n): row.get("today_ms") for n, row in sizes.items()}
        out.append(_check(f"{shape}: `today` ≤ 80 ms at any size", max(_known(today.values()), default=None), 80, "ms"))  # fmt: skip
        ten = sizes.get("10000", {})
        if ten.get("task_next_ms"):
            ratio = ten["today_ms"] / ten["task_next_ms"] if ten.get("today_ms") else None
            out.append(_check(f"{shape}: `today` ≤ 0.6 × `task next` at 10k", ratio, 0.6, "×"))
        if len(today) > 1 and today[min(today)] and today[max(today)]:
            growth = today[max(today)] / today[min(today)]
            out.append(_check(f"{shape}: `today` flat from {min(today):,} to {max(today):,} (within ×{FLAT})", growth, FLAT, "×"))  # fmt: skip
        logs = _known(row.get("log_ms") for row in sizes.values())
        out.append(_check(f"{shape}: a write with its re-plan ≤ 100 ms", max(logs, default=None), 100, "ms"))  # fmt: skip
        big = sizes.get("100000", {})
        for name, seconds in (("ics", 5), ("import", 10)):
            run = big.get(name)
            out.append(_check(f"{shape}: `{name}` at 100k ≤ {seconds} s", run and run["seconds"], seconds, "s"))  # fmt: skip
            out.append(_check(f"{shape}: `{name}` at 100k ≤ 300 MB peak", run and run["peak_mb"], 300, "MB"))  # fmt: skip
        pages = results.get("web", {}).get(shape, {}).get("10000", {})
        for page in ("Today", "Applications"):
            one = pages.get(page, {}).get("afresh_one_user")
            out.append(_check(f"{shape}: {page} afresh p99 ≤ 20 ms at 10k", one and one["p99_ms"], 20, "ms"))  # fmt: skip
        today_page = pages.get("Today", {})
        one = today_page.get("afresh_one_user")
        out.append(_check(f"{shape}: Today page ≤ 1 MB of HTML at 10k", one and one["html_kb"] / 1000, 1, "MB"))  # fmt: skip
        rate = today_page.get("afresh_wrk")
        out.append(_check(f"{shape}: 2,000 requests/s per worker (Today afresh, 10k)", rate and rate["rps"], 2000, "req/s", more=True))  # fmt: skip
    return out


def _check(aim: str, value: float | None, limit: float, unit: str, more: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{aim}: not measured"
    met = value >= limit if more else value <= limit
    shown = f"{value:,.2f}" if value < 10 else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return f"{aim}: {shown} {unit}, {'met' if met else 'NOT met'}"


def _known(values: Any) -> list[float]:
    return [v for v in values if v is not None]


def _ms(value: float | None, digits: int = 0) -> str:
    if value is None or math.isnan(value):
        return "-"
    if value >= 10_000:
        return f"{value / 1000:,.1f} s"
    return f"{value:,.{digits}f} ms"


def _ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}"


def _run(run: dict[str, float | None] | None) -> str:
    if not run:
        return "-"
    peak = "" if run["peak_mb"] is None else f", {run['peak_mb']:,.0f} MB"
    return f"{run['seconds']:,.1f} s{peak}"


def _size(kb: float) -> str:
    return f"{kb / 1000:,.1f} MB" if kb >= 1000 else f"{kb:,.0f} kB"


def _wrk(row: dict[str, float | None] | None) -> str:
    if not row:
        return "-"
    return f"{row['rps'] or 0:,.0f} ({_ms(row['p99_ms'], 1)})"
