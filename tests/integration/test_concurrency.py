"""Concurrent writers: with BEGIN IMMEDIATE and a busy timeout, no write is lost."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from followup import bootstrap
from followup.domain.model import Outcome
from followup.services import applications, doctor, touches

WRITERS = 8
WRITES = 15


def _writer(path: str, n: int) -> int:
    deps = bootstrap.build(path, datetime(2026, 3, 9, tzinfo=UTC))
    for i in range(WRITES):
        touches.log_touch(
            deps,
            f"app{n % 2}",
            touches.TouchInput(
                Outcome.SENT, at=datetime(2026, 3, 9, tzinfo=UTC) + timedelta(minutes=n * 100 + i)
            ),
        )
    return WRITES


def test_eight_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "c.db")
    deps = bootstrap.build(path, datetime(2026, 3, 1, tzinfo=UTC))
    for i in range(2):
        applications.add_application(deps, "Acme", f"Dev {i}", app_id=f"app{i}")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        done = pool.starmap(_writer, [(path, n) for n in range(WRITERS)])
    assert sum(done) == WRITERS * WRITES
    with deps.store.reading() as repo:
        total = sum(len(a.touches) for a in repo.applications())
    assert total == WRITERS * WRITES
    assert doctor.check(deps).ok
