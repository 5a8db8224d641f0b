"""The store's contract: one transaction per use, all or nothing, and a cheap change token."""

from __future__ import annotations

import pytest

from followup.services.ports import Store
from tests.builders import application


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    def fail_midway() -> None:
        with store.writing() as repo:
            repo.put(application())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    with store.reading() as repo:
        assert repo.get("acme-backend") is None


def test_the_change_token_moves_on_a_commit_only(store: Store) -> None:
    """The web app's page cache trusts it: a read leaves it, a committed write moves it."""
    first = store.change_token()
    with store.reading() as repo:
        repo.get("acme-backend")
    assert store.change_token() == first
    with store.writing() as repo:
        repo.put(application())
    second = store.change_token()
    assert second != first
    with store.writing() as repo:
        repo.put(application("other"))
    assert store.change_token() not in (first, second)
