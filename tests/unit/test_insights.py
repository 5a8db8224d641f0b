"""The Insights figures (issue 14) against a small search counted by hand
(:mod:`tests.insights_support` says how each figure was counted)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from followup.domain.calendar import Calendar
from followup.domain.insights import Insights, Record, Share, Week, insights
from followup.domain.model import Channel, Decision, Outcome, Status
from followup.domain.policy import Policy
from followup.domain.settings import Settings
from followup.errors import InvalidInput
from followup.services import insights as service
from followup.services.session import Deps
from tests.builders import application, at, d, hr, interview, touch
from tests.fake_store.records import FakeRecords
from tests.fakes import fake_deps
from tests.insights_support import NOW, search


def figures(first: date | None = None, last: date | None = None, **settings: object) -> Insights:
    deps = fake_deps(NOW, Settings(**settings))  # type: ignore[arg-type]
    with deps.store.writing() as repo:
        repo.put_many(search())
    return service.stats(deps, NOW, first, last)


def test_the_funnel_and_the_response_rate() -> None:
    found = figures()
    f = found.funnel
    assert (f.applications, f.answered, f.interviewed, f.offers, f.accepted) == (6, 4, 4, 2, 1)
    assert found.response == Share(4, 6)
    assert found.days_to_answer == (1, 7, 7, 17)
    assert found.median_days_to_answer == 7


def test_thank_yous_count_only_those_sent_to_every_interviewer() -> None:
    """a thanked Ana but not Ben; b has no interviewer and no thank-you; c thanked the team;
    d skipped it (R4)."""
    assert figures().thank_yous == Share(1, 4)


def test_follow_ups_on_time_and_late() -> None:
    ups = figures().follow_ups
    assert (ups.done, ups.compared, ups.lateness) == (3, 3, (0, 2, 2))
    assert ups.on_time == Share(1, 3)
    assert (ups.late, ups.median_days_late, ups.max_days_late) == ((2, 2), 2, 2)


def test_by_source_ignores_case_and_spaces() -> None:
    sources = [(s.name, s.applications, s.answered, s.interviewed) for s in figures().sources]
    assert sources == [("LinkedIn", 3, 2, 2), ("Company site", 2, 2, 2), (None, 1, 0, 0)]


def test_by_channel() -> None:
    channels = {c.channel: c for c in figures().channels}
    phone, email = channels[Channel.PHONE], channels[Channel.EMAIL]
    assert (phone.follow_ups, phone.answered, phone.interviews_after) == (2, 1, 0)
    assert (email.follow_ups, email.answered, email.interviews_after) == (1, 1, 1)
    assert phone.response == Share(1, 2)
    assert email.interview == Share(1, 1)


def test_pace_against_r9() -> None:
    pace = figures().pace
    assert pace.weeks == (
        Week(d("2026-03-02"), 4),
        Week(d("2026-03-09"), 0),
        Week(d("2026-03-16"), 2),
    )
    assert (pace.aim, pace.per_week, pace.weeks_on_aim) == (1, 2, Share(2, 3))


def test_pace_follows_the_policy() -> None:
    """Every 3 days is 7/3 a week: a week of 2 is below it."""
    policy = Policy().with_values({"max_days_without_new_application": 3})
    pace = figures(policy=policy).pace
    assert [pace.on_aim(w) for w in pace.weeks] == [True, False, False]


def test_a_period_holds_the_applications_added_in_it() -> None:
    """Tue 3 to Mon 16 March: b, c, d and e, and what happened to them after."""
    found = figures(d("2026-03-03"), d("2026-03-16"))
    assert found.funnel.applications == 4
    assert (found.funnel.answered, found.funnel.interviewed) == (3, 3)
    assert found.follow_ups.lateness == (2, 2)
    assert [w.start for w in found.pace.weeks] == [
        d("2026-03-02"),
        d("2026-03-09"),
        d("2026-03-16"),
    ]
    assert [w.applications for w in found.pace.weeks] == [3, 0, 1]
    assert figures(d("2026-03-17")).funnel.applications == 1
    assert figures(last=d("2026-03-02")).funnel.applications == 1


def test_a_period_the_wrong_way_round_is_refused() -> None:
    with pytest.raises(InvalidInput, match="--from 2026-03-10 is after --to 2026-03-09"):
        figures(d("2026-03-10"), d("2026-03-09"))


def test_nothing_to_count_is_no_rate_not_a_division_by_zero() -> None:
    found = insights([], [], Policy(), Calendar(), NOW)
    assert found.empty
    assert found.response.rate is None
    assert found.thank_yous.rate is None
    assert found.follow_ups.on_time.rate is None
    assert found.median_days_to_answer is None
    assert found.follow_ups.median_days_late is None
    assert found.pace.weeks == ()
    assert found.pace.per_week is None
    assert all(c.response.rate is None for c in found.channels)
    empty_period = insights([], [], Policy(), Calendar(), NOW, d("2026-03-09"), d("2026-03-15"))
    assert empty_period.pace.weeks == (Week(d("2026-03-09"), 0),)


def test_days_are_local_days_in_the_users_zone() -> None:
    """An email at 02:00 UTC on Wed 18 is Tue 17 in New York: on its due day there, a day
    late in UTC; and the reply the next evening in New York is a day later in UTC."""
    app = application(
        "ny",
        company="Globex",
        applied_on=d("2026-03-03"),
        contacts=(hr("rui", phone=None),),
        touches=(
            touch(at("2026-03-18", 2), Outcome.SENT, contact="rui"),
            touch(at("2026-03-20", 3), Outcome.REPLIED, contact="rui"),
        ),
    )
    for zone, late, days in (("America/New_York", 0, 16), ("UTC", 1, 17)):
        deps = fake_deps(NOW, Settings(zone))
        with deps.store.writing() as repo:
            repo.put(app)
        found = service.stats(deps, NOW, None, None)
        assert found.follow_ups.lateness == (late,), zone
        assert found.days_to_answer == (days,), zone


def test_an_offer_decided_in_a_touch_counts_as_an_offer() -> None:
    decided = touch("2026-03-16", Outcome.REACHED, decision=Decision.OFFER)
    records = [
        Record("x", "acme", Status.ACTIVE, d("2026-03-02"), touches=(decided,)),
        Record("y", "acme", Status.REJECTED, d("2026-03-02")),
    ]
    found = insights(records, [], Policy(), Calendar(ZoneInfo("UTC")), NOW)
    assert (found.funnel.offers, found.funnel.accepted) == (1, 0)


def test_a_closed_application_is_timed_as_it_stood_then() -> None:
    """Rejected since, snoozed since: the call of Wed 18 was due Mon 16 (R6), 2 days late."""
    app = application(
        "z",
        status=Status.REJECTED,
        snoozed_until=d("2026-04-30"),
        interviews=(interview("2026-03-09"),),
        touches=(touch("2026-03-18", Outcome.NO_ANSWER),),
    )
    deps = fake_deps(NOW)
    with deps.store.writing() as repo:
        repo.put(app)
    assert service.stats(deps, NOW, None, None).follow_ups.lateness == (2,)


def test_a_follow_up_with_nothing_planned_is_not_compared() -> None:
    """After a reply and before any interview is recorded, no status action is planned."""
    app = application(
        "w",
        touches=(
            touch("2026-03-05", Outcome.REPLIED, channel=Channel.EMAIL),
            touch("2026-03-06", Outcome.SENT),
        ),
    )
    deps = fake_deps(NOW)
    with deps.store.writing() as repo:
        repo.put(app)
    ups = service.stats(deps, NOW, None, None).follow_ups
    assert (ups.done, ups.compared, ups.on_time.rate) == (1, 0, None)


def test_service_reads_columns_for_the_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole records are loaded only for the companies where follow-ups were made."""
    deps: Deps = fake_deps(NOW)
    with deps.store.writing() as repo:
        repo.put_many(search())
    loaded: list[str] = []
    original = FakeRecords.load

    def spy(self: FakeRecords, ids: object) -> object:
        got = original(self, ids)  # type: ignore[arg-type]
        loaded.extend(a.id for a in got)
        return got

    monkeypatch.setattr(FakeRecords, "load", spy)
    service.stats(deps, NOW, None, None)
    assert sorted(loaded) == ["a-acme", "b-globex", "d-umbrella"]
