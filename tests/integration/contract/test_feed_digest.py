"""The contract of :class:`~followup.services.ports.FeedAndDigest`."""

from __future__ import annotations

from followup.domain.agenda import Detail, Feed
from followup.domain.digest import DigestState
from followup.services.ports import Store
from tests.builders import at, d


def test_one_feed_at_a_time(store: Store) -> None:
    feed = Feed("ab" * 32, Detail(notes=True), at("2026-03-09"))
    with store.writing() as repo:
        assert repo.feed() is None
        repo.set_feed(feed)
    with store.reading() as repo:
        assert repo.feed() == feed
    newer = Feed("cd" * 32, Detail(phones=True), at("2026-03-10"))
    with store.writing() as repo:
        repo.set_feed(newer)
    with store.reading() as repo:
        assert repo.feed() == newer
    with store.writing() as repo:
        repo.set_feed(None)
    with store.reading() as repo:
        assert repo.feed() is None


def test_the_digest_remembers_its_last_state(store: Store) -> None:
    state = DigestState(
        at("2026-03-09", 8), frozenset({("status:a", d("2026-03-09"))}), d("2026-03-09")
    )
    with store.writing() as repo:
        assert repo.digest_state() is None
        repo.save_digest_state(state)
    with store.reading() as repo:
        assert repo.digest_state() == state
    empty = DigestState(at("2026-03-10", 8), frozenset(), None)
    with store.writing() as repo:
        repo.save_digest_state(empty)
    with store.reading() as repo:
        assert repo.digest_state() == empty
