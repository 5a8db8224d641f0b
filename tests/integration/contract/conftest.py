"""Every contract test runs once per store: the SQLite one and the fake (a PostgreSQL
store joins ``STORES`` and must pass them unchanged)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.adapters.sqlite.store import SqliteStore
from followup.services.ports import Store
from tests.fakes import FakeStore

STORES = ["sqlite", "fake"]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "fake":
        yield FakeStore()
        return
    sqlite = SqliteStore(str(tmp_path / "contract.db"))
    yield sqlite
    sqlite.close()
