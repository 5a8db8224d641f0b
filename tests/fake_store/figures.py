"""The fake's Insights records, taken from the whole applications."""

from __future__ import annotations

from datetime import date

from followup.domain.insights import Record, in_period
from followup.domain.model import Interview, Touch
from tests.fake_store.state import FakeState


class FakeFigures:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def insight_records(self, first: date | None, last: date | None) -> list[Record]:
        return [
            Record(
                a.id,
                a.company_key,
                a.status,
                a.added_on,
                a.source,
                tuple(
                    Interview(iv.id, iv.at, iv.interviewers, cancelled=iv.cancelled)
                    for iv in a.interviews
                ),
                tuple(
                    Touch(
                        t.id,
                        t.at,
                        t.channel,
                        t.purpose,
                        t.outcome,
                        contact=t.contact,
                        decision=t.decision,
                    )
                    for t in a.touches
                ),
            )
            for a in sorted(self.state.apps.values(), key=lambda a: a.id)
            if in_period(a.added_on, first, last)
        ]
