"""``make soak`` (part): the peak memory and time of ``followup import`` on large files.

Issue 11 found a 15 MB file of five million empty applications refused only after
480 MB, and 265,000 applications whose last one was invalid refused after 1.6 GB and
24 s. The import now reads a stream (``formats.stream``); this measures each case as
a fresh process under ``/usr/bin/time -v`` (its "Maximum resident set size") and
fails when a peak passes :data:`LIMIT_MB` (the sum of the import's two processes' peaks,
:class:`bench.measure.TreePeaks`). Files are written one application at a time
into ``bench/data/`` (kept, like the benchmark's databases).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.measure import TreePeaks
from bench.synthetic import NOW, applications

HERE = Path(__file__).parent
DATA = HERE / "data"
FOLLOWUP = str(Path(sys.executable).parent / "followup")
LIMIT_MB = 300
GENERATOR = "1"  # bump when the files below change


def _write(path: Path, items: Callable[[], Iterator[Any]]) -> Path:
    """A followup/1 file of ``items``, written one at a time (never the whole in memory)."""
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w") as out:
        out.write('{"format": "followup/1", "settings": {"timezone": "Europe/Lisbon", ')
        out.write('"country": "PT"}, "applications": [\n')
        for i, item in enumerate(items()):
            out.write(",\n" if i else "")
            out.write(item if isinstance(item, str) else json.dumps(item))
        out.write("\n]}\n")
    partial.rename(path)
    return path


def _valid(n: int) -> Iterator[dict[str, Any]]:
    from followup.domain.settings import Settings
    from followup.formats.interchange import write

    settings = Settings("Europe/Lisbon", "PT")
    for app in applications(n):
        yield write(settings, [app])["applications"][0]


def _last_invalid(n: int) -> Iterator[dict[str, Any]]:
    for i, item in enumerate(_valid(n)):
        if i == n - 1:
            item["status"] = "lost in the post"
        yield item


def _empty(n: int) -> Iterator[str]:
    for _ in range(n):
        yield "{}"


CASES: dict[str, tuple[Callable[[], Path], int]] = {
    # name: (the file, the exit code expected)
    "5,000,000 empty applications (15 MB)": (
        lambda: _write(DATA / f"empty-5m-v{GENERATOR}.json", lambda: _empty(5_000_000)),
        5,
    ),
    "265,000 applications, the last invalid": (
        lambda: _write(
            DATA / f"last-invalid-265k-v{GENERATOR}.json", lambda: _last_invalid(265_000)
        ),
        5,
    ),
    "100,000 valid applications": (
        lambda: _write(DATA / f"valid-100k-v{GENERATOR}.json", lambda: _valid(100_000)),
        0,
    ),
}


def measure(path: Path, expected: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "import.db"
        argv = ["/usr/bin/time", "-v", FOLLOWUP, "--db", str(db), "import", str(path)]
        start = time.perf_counter()
        done = subprocess.Popen(
            [*argv, f"--now={NOW.isoformat()}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        peaks = TreePeaks(done.pid)  # the reading process too: the sum of both peaks
        try:
            _, stderr = done.communicate()
        finally:
            peaks.stop()
        seconds = time.perf_counter() - start
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    assert found, stderr
    first = stderr.splitlines()[0] if done.returncode else ""
    return {
        "exit": done.returncode,
        "expected_exit": expected,
        "peak_mb": peaks.total_kib(int(found.group(1))) / 1024,
        "seconds": round(seconds, 1),
        "mb": round(path.stat().st_size / 1e6, 1),
        "message": first,
    }


def main() -> None:
    failed = []
    print("| file | size | exit | peak memory | time |\n|---|---|---|---|---|")
    for name, (make, expected) in CASES.items():
        row = measure(make(), expected)
        print(
            f"| {name} | {row['mb']} MB | {row['exit']} | {row['peak_mb']:.0f} MB "
            f"| {row['seconds']} s |"
        )
        if row["message"]:
            print(f"  ({row['message']})", file=sys.stderr)
        if row["exit"] != expected or row["peak_mb"] > LIMIT_MB:
            failed.append(name)
    if failed:
        raise SystemExit(f"over {LIMIT_MB} MB or a wrong exit code: {', '.join(failed)}")


if __name__ == "__main__":
    main()
