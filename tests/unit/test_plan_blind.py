"""A change to what no rule reads (an application's notes, link, source, posting) is saved
without a re-plan (``services.session.PLANNER_BLIND``); anything else still re-plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.calendar import Calendar
from followup.domain.planner import by_company, plan_company_over_time, search_ended
from followup.services import applications, corrections
from followup.services.planning import PlanReader
from followup.services.session import PLANNER_BLIND, moves_plan
from tests.builders import d
from tests.fakes import FakeStore, fake_deps
from tests.strategies import job_searches, policies, zones

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
texts = st.one_of(st.none(), st.text(max_size=30))


@settings(max_examples=150)
@given(job_searches(), policies, zones, st.data())
def test_the_planner_reads_none_of_the_blind_fields(apps, policy, tz, data) -> None:
    """Whatever the blind fields hold, every plan over time is the same: a write that
    changes only them may leave the stored plan as it is."""
    changed = [replace(a, **{name: data.draw(texts) for name in PLANNER_BLIND}) for a in apps]
    assert not any(moves_plan(a, b) for a, b in zip(apps, changed, strict=True))
    cal = Calendar(tz)
    for before, after in zip(by_company(apps).values(), by_company(changed).values(), strict=True):
        planned = plan_company_over_time(before, policy, cal, search_ended(apps))
        replanned = plan_company_over_time(after, policy, cal, search_ended(changed))
        assert [(a.id, p) for a, p in planned] == [(a.id, p) for a, p in replanned]


def test_a_change_to_any_other_field_moves_the_plan() -> None:
    app = applications.add_application(fake_deps(NOW), "Acme", "Engineer").application
    assert moves_plan(None, app)
    assert moves_plan(app, replace(app, position="Designer"))
    assert moves_plan(app, replace(app, applied_on=d("2026-02-01")))
    assert moves_plan(app, replace(app, dismissed=frozenset({"x"})))
    assert not moves_plan(app, replace(app, notes="Called, left a message."))


def test_a_notes_edit_keeps_the_stored_plan_and_a_position_edit_replans() -> None:
    deps = fake_deps(NOW)
    store = deps.store
    assert isinstance(store, FakeStore)
    app_id = applications.add_application(
        deps, "Acme", "Engineer", applied_on=d("2026-02-20")
    ).application.id
    planned_at = store.state.exact[app_id]
    before = applications.get_application(deps, app_id, NOW).actions

    later = NOW + timedelta(hours=1)
    edit = corrections.ApplicationEdit(notes="Called, left a message.")
    saved = corrections.edit_application(deps, app_id, edit, later)
    assert saved.application.notes == "Called, left a message."
    assert saved.actions == before  # what the answer shows: the plan as stored
    assert store.state.exact[app_id] == planned_at  # not re-planned
    assert store.state.apps[app_id].notes == "Called, left a message."

    saved = corrections.edit_application(
        deps, app_id, corrections.ApplicationEdit(position="Staff Engineer"), later
    )
    assert store.state.exact[app_id] == later  # re-planned: the actions name the position
    assert all(a.position == "Staff Engineer" for a in saved.actions if a.position)
    with store.reading() as repo:  # and the stored plan is the planner's
        reader = PlanReader(repo, deps.holidays, later)
        assert reader.of(app_id) == saved.actions
