"""The contract of ``Listings.insight_records``: the few columns the Insights figures read
(issue 14), for the applications added in a period."""

from __future__ import annotations

from dataclasses import replace

from followup.domain.insights import Record
from followup.domain.model import Channel, Decision, Interview, Outcome, Purpose, Status, Touch
from followup.services.ports import Store
from tests.builders import application, at, contact, d, interview, touch
from tests.insights_support import search


def test_the_records_hold_what_the_figures_read(store: Store) -> None:
    app = application(
        "a",
        company=" ACME ",
        source="LinkedIn",
        notes="not read",
        contacts=(contact("ana"), contact("ben")),
        interviews=(
            interview("2026-03-09", interviewers=("ana", "ben"), notes="not read"),
            interview("2026-03-12", "iv2", interviewers=(), cancelled=True),
        ),
        touches=(
            touch("2026-03-16", Outcome.REACHED, decision=Decision.OFFER, notes="not read"),
            touch("2026-03-10", Outcome.SENT, Purpose.THANK_YOU, contact=None, tid="t0"),
        ),
    )
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        (found,) = repo.insight_records(None, None)
    assert found == Record(
        "a",
        "acme",
        Status.ACTIVE,
        d("2026-02-20"),
        "LinkedIn",
        (
            Interview("iv1", at("2026-03-09"), ("ana", "ben")),
            Interview("iv2", at("2026-03-12"), (), cancelled=True),
        ),
        (
            Touch(
                app.touches[0].id,
                at("2026-03-16", 11),
                Channel.PHONE,
                Purpose.STATUS,
                Outcome.REACHED,
                contact="ana",
                decision=Decision.OFFER,
            ),
            Touch("t0", at("2026-03-10", 11), Channel.EMAIL, Purpose.THANK_YOU, Outcome.SENT),
        ),
    )


def test_a_period_is_the_day_added_both_ends_included(store: Store) -> None:
    """Added is the application day, else the day recorded; an undated one is only in the
    open-ended period."""
    apps = [
        *search(),
        application("recorded", company="Initech", applied_on=None, recorded_on=d("2026-03-18")),
        replace(application("undated", company="Hooli"), applied_on=None),
    ]
    with store.writing() as repo:
        repo.put_many(apps)
    with store.reading() as repo:

        def ids(first: str | None, last: str | None) -> list[str]:
            chosen = repo.insight_records(d(first) if first else None, d(last) if last else None)
            return [r.id for r in chosen]

        everything = sorted(a.id for a in apps)
        assert ids(None, None) == everything
        assert ids("2026-03-04", "2026-03-17") == [
            "c-initech",
            "d-umbrella",
            "e-hooli",
            "f-vandelay",
        ]
        assert ids("2026-03-17", None) == ["f-vandelay", "recorded"]
        assert ids(None, "2026-03-02") == ["a-acme"]
        assert ids("2026-03-19", "2026-03-31") == []
