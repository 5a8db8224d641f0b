"""A large import into an empty database builds the read-only indexes at its end
(``adapters/sqlite/large_write.py``): the schema it leaves is the migrations' own, the
plan reads the same through them, and a refused import leaves every index in place."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from followup import bootstrap
from followup.adapters.sqlite.large_write import CACHE_KIB, LARGE, READ_ONLY_INDEXES
from followup.adapters.sqlite.store import SqliteStore
from followup.errors import InvalidFile
from followup.formats import stream
from followup.services import interchange
from followup.services.planning import PlanReader
from followup.services.session import Deps
from tests.integration.test_database_files import SCHEMA_FILE, schema

NOW = "2026-03-10T10:00:00+00:00"
SIZE = LARGE + 100


def app(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"app{i:04d}",
        "company": f"Company {i // 3}",
        "position": "Engineer",
        "applied_on": "2026-02-02",
        "contacts": [{"id": "hr", "name": f"Person {i}", "role": "hr", "email": f"p{i}@x.example"}],
        **extra,
    }


def document(apps: list[dict[str, Any]]) -> bytes:
    return json.dumps({"format": "followup/1", "applications": apps}).encode()


def opener(data: bytes) -> stream.Opener:
    return lambda: io.BytesIO(data)


def cache_of(deps: Deps) -> int:
    assert isinstance(deps.store, SqliteStore)
    (cache,) = deps.store.conn.execute("PRAGMA cache_size").fetchone()
    return int(cache)


def indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def test_a_large_first_import_leaves_the_migrations_schema_and_the_same_plan(
    tmp_path: Path,
) -> None:
    now = datetime.fromisoformat(NOW)
    data = document([app(i) for i in range(SIZE)])
    large = bootstrap.build(str(tmp_path / "large.db"), now=now)
    interchange.import_file(large, opener(data), now=now)
    # The same records, written in small imports (each under LARGE: indexes kept throughout).
    small = bootstrap.build(str(tmp_path / "small.db"), now=now)
    apps = [app(i) for i in range(SIZE)]
    for start in range(0, SIZE, LARGE // 2):
        interchange.import_file(small, opener(document(apps[start : start + LARGE // 2])), now=now)
    for deps in (large, small):
        assert cache_of(deps) != -CACHE_KIB  # the large write's cache ended with it
        assert isinstance(deps.store, SqliteStore)
        assert schema(deps.store.conn) == SCHEMA_FILE.read_text()
    assert set(READ_ONLY_INDEXES) <= indexes(tmp_path / "large.db")

    def plan(deps: Deps) -> list[Any]:
        with deps.store.reading() as repo:
            return list(PlanReader(repo, deps.holidays, now).stream(30, lines=True))

    assert plan(large) == plan(small)
    assert len(plan(large)) >= SIZE  # a status follow-up each, read through the indexes


def test_a_refused_large_import_leaves_every_index(tmp_path: Path) -> None:
    deps = bootstrap.build(str(tmp_path / "s.db"))
    before = indexes(tmp_path / "s.db")
    # The refusal comes after a first batch of the import was written (large: indexes dropped).
    count = interchange.BATCH + 200
    bad = [app(i) for i in range(count)] + [app(count, status="lost")]
    with pytest.raises(InvalidFile, match=r"status: 'lost' is not one of"):
        interchange.import_file(deps, opener(document(bad)))
    assert indexes(tmp_path / "s.db") == before
    with deps.store.reading() as repo:
        assert repo.existing([f"app{i:04d}" for i in range(count)]) == set()
    assert cache_of(deps) != -CACHE_KIB
