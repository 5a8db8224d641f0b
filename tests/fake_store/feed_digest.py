"""The fake's calendar feed and digest memory."""

from __future__ import annotations

from followup.domain.agenda import Feed
from followup.domain.digest import DigestState
from tests.fake_store.state import FakeState


class FakeFeedAndDigest:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def feed(self) -> Feed | None:
        return self.state.feed

    def set_feed(self, feed: Feed | None) -> None:
        self.state.feed = feed

    def digest_state(self) -> DigestState | None:
        return self.state.digest

    def save_digest_state(self, state: DigestState) -> None:
        self.state.digest = state
