"""The timed follow-ups a store keeps (issue 15: a coach's caseload reads them) are always
what :func:`followup.domain.punctuality.timings` computes from the records as they are:
after an import (the server's moving-in), new and edited touches, a company changed,
deletions, undo and settings changes; on the fake and on PostgreSQL (the local store does
not keep them, see :class:`followup.services.ports.StoredTimings`). On PostgreSQL, the
caseload's "done late" is the one the records give, and a search stored before migration
0009 gets its follow-ups timed on first use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest
from bench.synthetic import NOW, applications

from followup import bootstrap
from followup.adapters.holidays import HolidaysPackage
from followup.domain.accounts import AccountRole
from followup.domain.coaching import lateness
from followup.domain.insights import Timing
from followup.domain.model import Application, Outcome
from followup.domain.punctuality import timings
from followup.domain.settings import Settings
from followup.formats.interchange import write
from followup.services import coaching, history, settings
from followup.services.corrections import (
    ApplicationEdit,
    TouchEdit,
    delete_application,
    delete_touch,
    edit_application,
    edit_touch,
)
from followup.services.interchange import import_data
from followup.services.planning import calendar_for, ensure_current
from followup.services.ports import StoredTimings
from followup.services.session import Deps
from followup.services.touches import TouchInput, log_touch
from tests.fakes import FakeClock, FakeDetails, FakeDrafts, FakeStore
from tests.pg_cluster import Cluster
from tests.server_support import add, configure

DAY = timedelta(days=1)


@pytest.fixture(params=["fake", "postgres"])
def deps(request: pytest.FixtureRequest) -> Iterator[Deps]:
    if request.param == "fake":
        store: object = FakeStore()
    else:
        from followup.adapters.postgres.store import PostgresStore  # noqa: PLC0415
        from tests.pg_cluster import add_seeker  # noqa: PLC0415

        url = request.getfixturevalue("pg_url")
        store = PostgresStore(url, add_seeker(url))
    made = Deps(store, FakeClock(NOW), HolidaysPackage(), FakeDetails(), FakeDrafts())  # type: ignore[arg-type]
    ensure_current(made.store, made.holidays, lambda: "UTC", NOW)
    yield made
    close = getattr(store, "close", None)
    if close is not None:
        close()


def stored_and_recomputed(deps: Deps) -> tuple[list[Timing], list[Timing]]:
    """What the store keeps, and what the records give now (every company timed afresh)."""
    with deps.store.reading() as repo:
        assert isinstance(repo, StoredTimings)
        stored = repo.stored_timings()
        now = repo.load_settings()
        calendar = calendar_for(now, deps.holidays)
        companies: dict[str, list[Application]] = defaultdict(list)
        for app in repo.applications():
            companies[app.company_key].append(app)
    fresh = [
        t
        for company in companies.values()
        for t in timings(company, now.policy, calendar, {a.id for a in company})
    ]
    return stored, sorted(fresh, key=lambda t: (t.application, t.touch))


def same(deps: Deps) -> list[Timing]:
    stored, fresh = stored_and_recomputed(deps)
    assert stored == fresh
    return stored


def attempted(apps: list[Application]) -> list[Application]:
    return [a for a in apps if any(t.is_attempt for t in a.touches)]


def test_the_stored_timings_follow_every_kind_of_change(deps: Deps) -> None:
    apps = list(applications(60, seed=11))
    import_data(deps, write(Settings("Europe/Lisbon", "PT"), apps), NOW)
    found = same(deps)
    # a realistic search: follow-ups on time and late, at companies of several applications
    assert len(found) > 20
    assert any(t.days_late == 0 for t in found)
    assert any((t.days_late or 0) > 0 for t in found)
    followed = attempted(apps)
    active = [a for a in followed if a.status.value == "active"] or followed

    log_touch(deps, active[-1].id, TouchInput(Outcome.NO_ANSWER, at=NOW + DAY), NOW + DAY)
    assert len(same(deps)) == len(found) + 1

    first, second = followed[0], followed[len(followed) // 2]
    touch = next(t for t in first.touches if t.is_attempt)
    edit_touch(deps, first.id, touch.id, TouchEdit(at=touch.at - 3 * DAY), NOW + 2 * DAY)
    same(deps)

    gone = next(t for t in second.touches if t.is_attempt)
    delete_touch(deps, second.id, gone.id, NOW + 3 * DAY)
    assert all(t.touch != gone.id or t.application != second.id for t in same(deps))

    # a company changed: both companies' follow-ups (R13's last follow-up there) again
    other = next(a for a in followed if a.company_key != first.company_key)
    moved = ApplicationEdit(company=other.company)  # a duplicate there, maybe: no matter
    edit_application(deps, first.id, moved, NOW + 4 * DAY, duplicate_ok=True)
    same(deps)

    before = same(deps)
    delete_application(deps, other.id, NOW + 5 * DAY)
    assert not any(t.application == other.id for t in same(deps))
    history.undo(deps, now=NOW + 6 * DAY)
    assert same(deps) == before

    # the settings decide the days: a zone far away, a longer wait, no holidays
    settings.update(
        deps,
        {"timezone": "Pacific/Auckland", "first_follow_up_days": "10", "country": "none"},
        NOW + 7 * DAY,
    )
    assert same(deps) != before
    settings.update(deps, {"min_days_between_follow_ups": "3"}, NOW + 8 * DAY)
    same(deps)

    # moving in again (the same file merged over the records): nothing differs
    import_data(deps, write(Settings("Europe/Lisbon", "PT"), apps), NOW + 9 * DAY)
    same(deps)


def test_the_caseload_shows_what_the_records_give_after_writes(
    monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    """The caseload's "done late" for each seeker, read from the stored rows, is what
    timing the seeker's records afresh gives, after they wrote."""
    configure(monkeypatch, pg_url)
    coach = add(AccountRole.COACH)
    gate = bootstrap.server_gate(pool_size=1)
    assert gate.coach is not None
    try:
        seekers = []
        for seed in (3, 4):
            s = add()
            own = gate.deps_for(s.id)
            apps = [shifted(a) for a in applications(50, seed=seed)]
            import_data(own, write(Settings("America/New_York", "US"), apps))
            coaching.share(gate.coach, s, coach.email)
            seekers.append((s, own, apps))
        s, own, apps = seekers[0]
        followed = attempted(apps)
        now = gate.coach.clock.now()
        log_touch(own, followed[-1].id, TouchInput(Outcome.VOICEMAIL, at=now), now)
        delete_application(own, followed[0].id, now)
        rows = {r.seeker.id: r for r in coaching.caseload(gate.coach, coach)}
        assert sorted(rows) == sorted(x.id for x, _, _ in seekers)
        shown = 0
        for x, theirs, _ in seekers:
            stored, fresh = stored_and_recomputed(theirs)
            assert stored == fresh
            today = now.astimezone(ZoneInfo("America/New_York")).date()
            expected = lateness(fresh, today - timedelta(days=coaching.LATE_DAYS))
            assert rows[x.id].lateness == expected
            shown += expected.compared
        assert shown > 0  # the searches have follow-ups in these 30 days
        assert any(rows[x.id].lateness.late for x, _, _ in seekers)
    finally:
        gate.close()


def shifted(app: Application) -> Application:
    """``app`` moved so that ``bench.synthetic.NOW`` falls on today (the caseload reads
    the last 30 days before the real clock)."""
    gap = datetime.now(UTC).date() - NOW.date()
    return replace(
        app,
        applied_on=app.applied_on + gap if app.applied_on else None,
        recorded_on=app.recorded_on + gap if app.recorded_on else None,
        interviews=tuple(
            replace(iv, at=iv.at + gap, answer_by=iv.answer_by + gap if iv.answer_by else None)
            for iv in app.interviews
        ),
        touches=tuple(
            replace(t, at=t.at + gap, decision_by=t.decision_by + gap if t.decision_by else None)
            for t in app.touches
        ),
    )


def test_a_search_stored_before_0009_is_timed_on_first_use(
    monkeypatch: pytest.MonkeyPatch, pg_cluster: Cluster
) -> None:
    """Migration 0009 forgets each seeker's planner version: the first use of the search
    (a coach's caseload included) re-plans it, which times its follow-ups."""
    from followup.adapters.postgres import schema  # noqa: PLC0415

    url = pg_cluster.create_database("timings_backfill")
    schema.init(url)
    configure(monkeypatch, url)
    coach = add(AccountRole.COACH)
    s = add()
    gate = bootstrap.server_gate(pool_size=1)
    assert gate.coach is not None
    own = gate.deps_for(s.id)
    import_data(own, write(Settings("Europe/Lisbon", "PT"), [shifted(a) for a in applications(40, seed=5)]))  # fmt: skip
    coaching.share(gate.coach, s, coach.email)
    expected = coaching.caseload(gate.coach, coach)
    gate.close()
    with psycopg.connect(url, autocommit=True) as conn:  # as the database stood at 0008
        conn.execute("DROP TABLE follow_up_timing")
        conn.execute("DELETE FROM schema_version WHERE version = 9")
    assert schema.migrate(url).after == schema.LATEST_VERSION
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM follow_up_timing").fetchone() == (0,)
    gate = bootstrap.server_gate(pool_size=1)  # a new server process: nobody served yet
    assert gate.coach is not None
    try:
        found = coaching.caseload(gate.coach, coach)
        assert [r.lateness for r in found] == [r.lateness for r in expected]
        assert found[0].lateness.compared > 0
        stored, fresh = stored_and_recomputed(gate.deps_for(s.id))
        assert stored == fresh
        assert stored
    finally:
        gate.close()
