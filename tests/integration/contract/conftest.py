"""Every contract test runs once per store: the SQLite one, the PostgreSQL one (each test
with a seeker of its own in a shared database) and the fake; all pass them unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from followup.adapters.sqlite.store import SqliteStore
from followup.services.ports import Store
from tests.fakes import FakeStore

STORES = ["sqlite", "postgres", "fake"]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "fake":
        yield FakeStore()
        return
    if request.param == "postgres":
        from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415
        from tests.pg_cluster import add_seeker  # noqa: PLC0415

        url = request.getfixturevalue("pg_url")
        postgres = PostgresStore(url, add_seeker(url))
        yield postgres
        postgres.close()
        return
    sqlite = SqliteStore(str(tmp_path / "contract.db"))
    yield sqlite
    sqlite.close()
