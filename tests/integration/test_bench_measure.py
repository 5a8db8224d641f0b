"""The benchmark's memory figure counts every process of a command (issue 12): an import
reads its file in a second process, and GNU time alone reports only the larger peak."""

from __future__ import annotations

import os
import sys

import pytest
from bench.measure import GNU_TIME, measured

#: A parent holding 40 MB that forks a child holding 60 MB more, both alive together.
TWO_PROCESSES = """
import os, time
held = bytearray(40 << 20)
pid = os.fork()
if pid == 0:
    more = bytearray(60 << 20)
    time.sleep(0.4)
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(
    not (os.path.exists(GNU_TIME) and os.path.exists("/proc/self/status")),
    reason="needs GNU time and /proc",
)
def test_the_peak_is_the_sum_of_both_processes_peaks() -> None:
    alone = measured([sys.executable, "-c", "held = bytearray(40 << 20)"], memory=True)
    both = measured([sys.executable, "-c", TWO_PROCESSES], memory=True)
    assert alone.peak_mb is not None
    assert both.peak_mb is not None
    # The child alone peaks near alone + 60 MB (it shares the parent's 40 MB): GNU time's
    # figure. The sum counts the parent's own peak on top.
    assert both.peak_mb > 2 * alone.peak_mb + 50
