"""The stored plan always equals a fresh full plan, whatever the writes (issue 2, "Speed")."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import bootstrap
from followup.adapters.clock import FixedClock
from followup.domain.model import Action, Outcome, Purpose, Status
from followup.domain.settings import Settings
from followup.errors import FollowupError
from followup.formats import interchange as fmt
from followup.services import applications, completion, doctor, interviews, touches
from followup.services import settings as settings_service
from followup.services.interchange import import_data
from followup.services.planning import (
    COMING,
    OVERDUE,
    SECTIONS,
    TODAY,
    PlanReader,
    PlanView,
    calendar_for,
    fresh_plan,
)
from followup.services.session import Deps
from tests.strategies import BASE, instants, job_searches

operations = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.integers(0, 5), st.sampled_from(list(Outcome)), st.booleans()),
        st.tuples(st.just("status"), st.integers(0, 5), st.sampled_from(list(Status))),
        st.tuples(st.just("snooze"), st.integers(0, 5), st.integers(-5, 30)),
        st.tuples(st.just("interview"), st.integers(0, 5), st.integers(-20, 20)),
        st.tuples(
            st.just("setting"),
            st.sampled_from(
                [
                    "first_follow_up_days",
                    "min_days_between_follow_ups",
                    "application_follow_up_days",
                    "stale_after_days",
                    "max_application_follow_ups",
                ]
            ),
            st.integers(1, 10),
        ),
        st.tuples(st.just("timezone"), st.sampled_from(["Europe/Lisbon", "Asia/Kolkata", "UTC"])),
        st.tuples(st.just("add"), st.sampled_from(["Acme", "Globex", "New Co"])),
    ),
    max_size=8,
)


def apply(deps: Deps, op: tuple[Any, ...], now: datetime) -> None:
    with deps.store.reading() as repo:
        ids = sorted(a.id for a in repo.applications())
    pick = ids[op[1] % len(ids)] if ids and isinstance(op[1], int) else None
    try:
        if op[0] == "log" and pick:
            outcome: Outcome = op[2]
            purpose = Purpose.THANK_YOU if op[3] else Purpose.STATUS
            touches.log_touch(
                deps, pick, touches.TouchInput(outcome, purpose=purpose, at=now), now=now
            )
        elif op[0] == "status" and pick:
            applications.set_status(deps, pick, op[2], now=now)
        elif op[0] == "snooze" and pick:
            applications.snooze(deps, pick, now.date() + timedelta(days=op[2]), now=now)
        elif op[0] == "interview" and pick:
            interviews.record_interview(
                deps, pick, interviews.InterviewInput(at=now + timedelta(days=op[2])), now=now
            )
        elif op[0] == "setting":
            settings_service.set_value(deps, op[1], str(op[2]), now=now)
        elif op[0] == "timezone":
            settings_service.set_value(deps, "timezone", op[1], now=now)
        elif op[0] == "add":
            applications.add_application(deps, op[1], "Engineer", now=now)
    except FollowupError:
        pass  # a refused operation must leave the plan as exact as before


def same_view(deps: Deps, now: datetime, horizon: int) -> None:
    with deps.store.reading() as repo:
        stored = PlanReader(repo, deps.holidays, now).view(horizon)
        settings_ = repo.load_settings()
        fresh = fresh_plan(
            list(repo.applications()),
            settings_,
            calendar_for(settings_, deps.holidays),
            now,
            horizon,
        )
    assert stored == fresh
    same_sections(deps, now, horizon, fresh)


def same_sections(deps: Deps, now: datetime, horizon: int, fresh: PlanView) -> None:
    """Issue 12: Today's sections read a page at a time (stored rows in index order,
    merged with what is planned in memory) are the fresh plan's, cut by due date; the
    streamed plan is the whole of it, in order."""
    wanted = {
        OVERDUE: fresh.overdue,
        TODAY: fresh.due_today,
        COMING: fresh.coming,
    }
    with deps.store.reading() as repo:
        reader = PlanReader(repo, deps.holidays, now)
        assert list(reader.stream(horizon)) == fresh.actions
        for key in SECTIONS:
            first = reader.section(key, 2, horizon=horizon)
            assert first.total == len(wanted[key])
            assert first.actions == wanted[key][:2]
            assert first.more == max(0, len(wanted[key]) - 2)
            pages = [reader.section(key, 2, offset, horizon=horizon) for offset in (2, 4, 6)]
            assert [a for p in [first, *pages] for a in p.actions] == wanted[key][:8]
            lines = reader.section(key, 3, 1, horizon=horizon, lines=True).actions
            assert [a.id for a in lines] == [a.id for a in wanted[key][1:4]]
            assert [_line(a) for a in lines] == [_line(a) for a in wanted[key][1:4]]
    with deps.store.reading() as repo:  # Today's page: every section's first page at once
        reader = PlanReader(repo, deps.holidays, now)
        for cap in (None, 1):
            at_once = reader.card_sections(2, horizon=horizon, cap=cap)
            assert at_once == [
                reader.card_section(k, 2, horizon=horizon, cap=cap) for k in SECTIONS
            ]
        assert [[r["id"] for r in s.actions] for s in at_once] == [
            [a.id for a in wanted[k][:2]] for k in SECTIONS
        ]
        assert [s.total for s in reader.card_sections(2, horizon=horizon)] == [
            len(wanted[k]) for k in SECTIONS
        ]


def _line(action: Action) -> Action:
    """What a list line shows of an action (``lines=True`` reads only that)."""
    return replace(action, script=(), steps=(), contact_application=None)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    apps=job_searches(max_size=5),
    ops=operations,
    probes=st.lists(instants, min_size=1, max_size=4),
    horizon=st.sampled_from([0, 7, 60]),
)
def test_the_stored_plan_equals_a_fresh_plan(
    tmp_path_factory: pytest.TempPathFactory,
    apps: list[Any],
    ops: list[Any],
    probes: list[datetime],
    horizon: int,
) -> None:
    path = str(tmp_path_factory.mktemp("sp") / "sp.db")
    deps = bootstrap.build(path, BASE)
    # As of a day after every drawn date: an import refuses a touch or applied date ahead.
    document = json.loads(json.dumps(fmt.write(Settings("Europe/Lisbon", "PT"), apps)))
    import_data(deps, document, now=datetime(2100, 1, 1, tzinfo=UTC))
    for i, op in enumerate(ops):
        apply(deps, op, BASE + timedelta(days=i, hours=9))
    for now in probes:
        same_view(deps, now, horizon)
    assert doctor.check(deps).ok


def test_doctor_finds_and_repairs_a_tampered_plan(tmp_path: Path) -> None:
    path = str(tmp_path / "t.db")
    deps = bootstrap.build(path, BASE)
    app = applications.add_application(deps, "Acme", "Dev").application
    interviews.record_interview(
        deps, app.id, interviews.InterviewInput(at=BASE - timedelta(days=3))
    )
    assert doctor.check(deps).ok
    conn = sqlite3.connect(path)
    conn.execute("UPDATE planned_action SET due = '2000-01-01'")
    conn.commit()
    conn.close()
    report = doctor.check(deps)
    assert not report.ok
    assert report.problems[0].startswith(app.id)
    assert doctor.check(deps, repair=True).repaired
    assert doctor.check(deps).ok


def test_a_new_planner_version_replans_on_open(tmp_path: Path) -> None:
    path = str(tmp_path / "v.db")
    deps = bootstrap.build(path, BASE)
    app = applications.add_application(deps, "Acme", "Dev").application
    interviews.record_interview(
        deps, app.id, interviews.InterviewInput(at=BASE - timedelta(days=3))
    )
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM planned_action")
    conn.execute("UPDATE followup_meta SET value = 'old' WHERE key = 'plan_version'")
    conn.commit()
    conn.close()
    deps = bootstrap.build(path, BASE)
    assert doctor.check(deps).ok
    assert isinstance(deps.clock, FixedClock)


def test_a_read_before_the_last_write_replans_fresh(tmp_path: Path) -> None:
    """Rows that ended before a write are not kept; an earlier instant is re-planned."""
    deps = bootstrap.build(str(tmp_path / "tt.db"), BASE)
    app = applications.add_application(deps, "Acme", "Dev", now=BASE).application
    interview_at = BASE + timedelta(days=5)
    interviews.record_interview(deps, app.id, interviews.InterviewInput(at=interview_at), now=BASE)
    later = BASE + timedelta(days=20)
    touches.log_touch(deps, app.id, touches.TouchInput(Outcome.SENT, at=later), now=later)
    with deps.store.reading() as repo:
        assert repo.stale(BASE + timedelta(days=1)) == {app.id}
        assert not any(p.action.kind.value == "prepare_interview" for p in repo.planned(app.id))
    before = applications.get_application(deps, app.id, BASE + timedelta(days=1))
    assert [a.kind.value for a in before.actions] == ["prepare_interview"]
    same_view(deps, BASE + timedelta(days=1), 30)
    same_view(deps, later, 30)


def test_the_day_an_application_goes_quiet_needs_no_write(tmp_path: Path) -> None:
    """R19 depends on today: the stored plan, written weeks before, changes by itself at
    the start of applied + stale_after_days (local midnight), and doctor agrees."""
    deps = bootstrap.build(str(tmp_path / "q.db"), BASE)
    settings_service.set_value(deps, "timezone", "Europe/Lisbon", now=BASE)
    app = applications.add_application(deps, "Acme", "Dev", applied_on=BASE.date(), now=BASE)
    app_id = app.application.id
    quiet = datetime.combine(BASE.date() + timedelta(days=30), time(), ZoneInfo("Europe/Lisbon"))
    with deps.store.reading() as repo:
        reader = PlanReader(repo, deps.holidays, BASE + timedelta(days=2))
        assert reader.changes_at() < quiet  # the next local midnight comes first
        assert repo.next_change(BASE + timedelta(days=2)) == quiet
        assert repo.stale(quiet) == set()  # rows written at BASE are exact then
    before = applications.get_application(deps, app_id, quiet - timedelta(microseconds=1))
    after = applications.get_application(deps, app_id, quiet)
    assert [a.kind.value for a in before.actions] == ["find_contact"]  # R18, no HR known
    assert [(a.kind.value, a.rule) for a in after.actions] == [("give_up", "R19")]
    for now in (quiet - timedelta(seconds=1), quiet, quiet + timedelta(days=3)):
        same_view(deps, now, 7)
    assert doctor.check(deps).ok


def test_an_accepted_offer_replans_every_company(tmp_path: Path) -> None:
    """R20 links applications across companies: accepting one re-plans all of them."""
    deps = bootstrap.build(str(tmp_path / "r20.db"), BASE)
    a = applications.add_application(deps, "Acme", "Dev", now=BASE).application
    b = applications.add_application(deps, "Globex", "Dev", now=BASE).application
    applications.set_status(deps, a.id, Status.ACCEPTED, now=BASE)
    other = applications.get_application(deps, b.id, BASE)
    assert [x.kind.value for x in other.actions] == ["withdraw"]
    same_view(deps, BASE + timedelta(days=1), 7)  # due on the day it is read
    with deps.store.reading() as repo:
        view = PlanReader(repo, deps.holidays, BASE + timedelta(days=3)).view(0)
    assert [(x.kind.value, x.due) for x in view.actions] == [
        ("withdraw", (BASE + timedelta(days=3)).date())
    ]
    assert doctor.check(deps).ok
    done = completion.complete(deps, f"status:{b.id}", now=BASE)
    assert done.application.status is Status.WITHDRAWN
    applications.set_status(deps, a.id, Status.ACTIVE, now=BASE)
    assert doctor.check(deps).ok
    same_view(deps, BASE, 30)
