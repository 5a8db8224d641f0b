"""The fake repository: every part of the port over one state."""

from __future__ import annotations

from tests.fake_store.feed_digest import FakeFeedAndDigest
from tests.fake_store.figures import FakeFigures
from tests.fake_store.history import FakeHistory
from tests.fake_store.listings import FakeListings
from tests.fake_store.mail_state import FakeMailState
from tests.fake_store.records import FakeRecords
from tests.fake_store.settings import FakeSettings
from tests.fake_store.state import FakeState
from tests.fake_store.stored_plan import FakeStoredPlan
from tests.fake_store.stored_timings import FakeStoredTimings


class FakeRepository(
    FakeSettings,
    FakeRecords,
    FakeListings,
    FakeStoredPlan,
    FakeStoredTimings,
    FakeHistory,
    FakeMailState,
    FakeFeedAndDigest,
    FakeFigures,
):
    def __init__(self, state: FakeState) -> None:
        self.state = state
