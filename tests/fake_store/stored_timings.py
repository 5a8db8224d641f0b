"""The fake's timed follow-ups: each application's, as the re-plan of its company gave them."""

from __future__ import annotations

from collections.abc import Collection

from followup.domain.insights import Timing
from tests.fake_store.state import FakeState


class FakeStoredTimings:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def replace_timings(self, app_ids: Collection[str], timings: list[Timing]) -> None:
        for app_id in app_ids:
            self.state.timings.pop(app_id, None)
        for t in timings:
            self.state.timings.setdefault(t.application, []).append(t)

    def stored_timings(self) -> list[Timing]:
        found = [t for rows in self.state.timings.values() for t in rows]
        return sorted(found, key=lambda t: (t.application, t.touch))
