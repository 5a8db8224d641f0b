"""Timing whole processes, as a user runs them: medians of wall time, and peak memory.

A command slower than :data:`SLOW` seconds is run once (its warm-up is the sample): at
the sizes where today's code takes a minute, fifteen runs would take a quarter of an
hour and say nothing more. A command that takes longer than ``BENCH_TIMEOUT`` seconds
(default 600) is stopped and reported as such instead of holding the run, and one that
asks for more than ``BENCH_MEMORY_MB`` of address space (default 8000) fails there
instead of pushing a shared machine into swap or its out-of-memory killer.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

RUNS = 15
SLOW = 5.0
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "600"))
GNU_TIME = "/usr/bin/time"
MEMORY = int(os.environ.get("BENCH_MEMORY_MB", "8000")) * 1024 * 1024
PRLIMIT = shutil.which("prlimit")  # util-linux: the limit set in the child, not in a hook


class Failed(Exception):
    """A measured command exited with an error or was stopped: the figure is missing."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float | None  #: None: not asked for, or GNU time missing


def measured(
    argv: list[str],
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
    memory: bool = False,
) -> Run:
    """One fresh process: its wall time and, with ``memory``, its peak resident memory.

    Linux counts in a child's peak (``ru_maxrss``) the memory of the process it was
    forked from, before its ``exec``: the benchmark's own hundreds of MB. So the peak is
    taken by GNU time (``/usr/bin/time``, a small process) of its own child; without it,
    ``peak_mb`` is None.

    A command that works in more than one process (``import`` reads its file in a
    second one) is counted whole: the peak is the sum of its processes' own peaks
    (:class:`TreePeaks`), not the largest of them, which is all GNU time can say.
    """
    wrap = memory and os.path.exists(GNU_TIME)
    with tempfile.NamedTemporaryFile("r") as report:
        command = [GNU_TIME, "-f", "%M", "-o", report.name, *argv] if wrap else argv
        watch = TreePeaks if wrap else None
        seconds, peaks = _run(command, env, timeout, watch)
        peak = peaks.total_kib(int(report.read().split()[-1])) / 1024 if peaks else None
    return Run(seconds, peak)


class TreePeaks:
    """The peaks of the processes under GNU time, each read from ``/proc`` every
    :data:`POLL` seconds while it runs (``VmHWM``: a process's own peak so far).

    GNU time's figure is exact but is only the largest process's peak (its child's
    ``ru_maxrss``, which takes in the children that child waited for as a maximum, not a
    sum). The total is that exact figure plus the sampled peaks of the others: a process
    that grew in its last :data:`POLL` seconds, or lived less than that, is counted low
    by that much; where ``/proc`` is missing, the total is GNU time's figure alone.
    Pages a forked process still shares with its parent count in both: an upper bound.
    """

    POLL = 0.02

    def __init__(self, root: int) -> None:
        self._root = root
        self._peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def total_kib(self, largest: int) -> int:
        """The sum of the peaks, in KiB, given GNU time's exact ``largest``."""
        found = sorted(self._peaks.values())
        if not found:
            return largest
        return max(largest, found[-1]) + sum(found[:-1])

    def _poll(self) -> None:
        while not self._stop.wait(self.POLL):
            for pid in _descendants(self._root):
                kib = _high_water_kib(pid)
                if kib is not None:
                    self._peaks[pid] = max(kib, self._peaks.get(pid, 0))


def _descendants(root: int) -> list[int]:
    """The processes under ``root`` (not itself), from ``/proc/<pid>/task/*/children``."""
    found: list[int] = []
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


def _high_water_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _run(
    argv: list[str],
    env: Mapping[str, str] | None,
    timeout: float,
    watch: Callable[[int], TreePeaks] | None = None,
) -> tuple[float, TreePeaks | None]:
    if PRLIMIT:
        argv = [PRLIMIT, f"--as={MEMORY}", *argv]  # prlimit runs argv in its own process
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=None if env is None else {**os.environ, **env},
        start_new_session=True,  # its own process group: a timeout kills GNU time's child too
    )  # fmt: skip
    peaks = watch(proc.pid) if watch is not None else None
    timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    try:
        _, err = proc.communicate()
    finally:
        timer.cancel()
        if peaks is not None:
            peaks.stop()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        killed = proc.returncode == -signal.SIGKILL
        last = (err.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        why = f"killed (over {timeout:.0f} s, or out of memory)" if killed else last
        raise Failed(f"{' '.join(argv[-5:])}: exit {proc.returncode}, {why.strip()}")
    return seconds, peaks


def timed(
    argv: Callable[[int], list[str]] | list[str],
    runs: int = RUNS,
    env: Mapping[str, str] | None = None,
) -> float:
    """Median wall time in ms of fresh processes running ``argv`` (or ``argv(i)``).

    One warm-up run first (the page cache, the bytecode); a slow command is run once,
    a command over a second three times.
    """
    make = argv if callable(argv) else (lambda _: argv)
    first = measured(make(0), env).seconds
    if first > SLOW:
        return first * 1000
    runs = runs if first < 1 else min(runs, 3)
    samples = [measured(make(i + 1), env).seconds * 1000 for i in range(runs)]
    return statistics.median(samples)


def side_by_side(
    commands: dict[str, tuple[list[str], Mapping[str, str] | None]], runs: int = RUNS
) -> dict[str, float]:
    """Median wall times in ms of several commands run in turn, one of each per round.

    Taking turns, they share whatever else the machine is doing at each moment: their
    ratio holds better than that of two series run one after the other.
    """
    first = {name: measured(argv, env).seconds for name, (argv, env) in commands.items()}
    slowest = max(first.values())
    if slowest > SLOW:
        runs = 0
    elif slowest >= 1:
        runs = min(runs, 3)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            samples[name].append(measured(argv, env).seconds * 1000)
    return {
        name: statistics.median(samples[name]) if samples[name] else first[name] * 1000
        for name in commands
    }


def percentile(samples: list[float], p: int) -> float:
    """The ``p``-th percentile (the nearest rank at or above it)."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))
    return ordered[rank]
