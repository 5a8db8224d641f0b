"""Shared fixtures and the Hypothesis profiles (``make soak`` selects the long one)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.pg_cluster import Cluster, require_binaries, running_cluster

settings.register_profile(
    "default", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "soak", deadline=None, max_examples=3000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The web app keeps its compiled templates in the user's cache folder, from the moment
# it is imported (before any fixture): the tests' copies go to a folder of their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="followup-tests-cache-")


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the developer's real data or config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("FOLLOWUP_DB", raising=False)
    monkeypatch.delenv("FOLLOWUP_CONFIG_DIR", raising=False)
    monkeypatch.delenv("FOLLOWUP_DEBUG", raising=False)
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster per pytest worker (skipped without the binaries,
    failed under CI)."""
    with running_cluster(require_binaries()) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def pg_url(pg_cluster: Cluster) -> str:
    """A database of that cluster with the server's schema: each test makes its own
    seekers in it, so tests share it without seeing each other's rows."""
    from followup.adapters.postgres import schema  # noqa: PLC0415

    url = pg_cluster.create_database("followup_shared")
    schema.init(url)
    return url
