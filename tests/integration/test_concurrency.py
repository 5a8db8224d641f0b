"""Concurrent writers: each waits its turn for the write lock; none is refused or lost.

``make test`` runs 8 writers x 15 writes; ``make soak`` (``FOLLOWUP_SOAK=1``) 8 x 300.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from followup import bootstrap
from followup.adapters.sqlite.database import connect
from followup.adapters.sqlite.store import SqliteStore
from followup.domain.model import Outcome
from followup.errors import DatabaseBusy
from followup.services import applications, doctor, touches

WRITERS = 8
WRITES = 300 if os.environ.get("FOLLOWUP_SOAK") else 15


def _writer(path: str, n: int) -> tuple[int, int]:
    """Each write as its own command would do it: open, write, close. (done, refused)"""
    done = refused = 0
    for i in range(WRITES):
        # The clock after every touch written (one a minute from 9 March, each writer a
        # thousand minutes on): a touch in the future is refused.
        deps = bootstrap.build(path, datetime(2026, 3, 20, tzinfo=UTC))
        try:
            touches.log_touch(
                deps,
                f"app{n % 2}",
                touches.TouchInput(
                    Outcome.SENT,
                    at=datetime(2026, 3, 9, tzinfo=UTC) + timedelta(minutes=n * 1000 + i),
                ),
            )
            done += 1
        except DatabaseBusy:
            refused += 1
        finally:
            assert isinstance(deps.store, SqliteStore)
            deps.store.close()
    return done, refused


def test_eight_concurrent_writers_are_never_refused_and_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "c.db")
    deps = bootstrap.build(path, datetime(2026, 3, 1, tzinfo=UTC))
    for i in range(2):
        applications.add_application(deps, "Acme", f"Dev {i}", app_id=f"app{i}")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        results = pool.starmap(_writer, [(path, n) for n in range(WRITERS)])
    assert sum(r for _, r in results) == 0, "refused writes"
    assert sum(d for d, _ in results) == WRITERS * WRITES
    with deps.store.reading() as repo:
        total = sum(len(a.touches) for a in repo.applications())
    assert total == WRITERS * WRITES, "lost writes"
    assert doctor.check(deps).ok


def test_a_write_waits_out_a_lock_held_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    """SQLite's busy timeout (5 s) alone refused such a write; the store waits longer."""
    path = str(tmp_path / "slow.db")
    connect(path)[0].close()
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(6.0, lambda: blocker.execute("COMMIT"))
    release.start()
    store = SqliteStore(path)
    started = time.monotonic()
    with store.writing() as repo:
        repo.set_plan_version("waited")
    assert time.monotonic() - started >= 5.5
    release.join()
    blocker.close()
    with store.reading() as repo:
        assert repo.plan_version() == "waited"
    store.close()
