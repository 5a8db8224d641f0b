"""The history and undo, on the in-memory fakes (issue 8, "Undo")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from followup.domain.history import SETTINGS
from followup.domain.model import Outcome, Status
from followup.errors import NotFound, Refused
from followup.services import applications, contacts, corrections, history, settings, touches
from followup.services.session import Deps, entry_of
from tests.builders import at, d
from tests.fakes import FakeStore, fake_deps

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def deps() -> Deps:
    return fake_deps(NOW)


def stored(deps: Deps) -> FakeStore:
    assert isinstance(deps.store, FakeStore)
    return deps.store


def test_each_change_is_one_entry_with_what_it_changed(deps: Deps) -> None:
    app_id = applications.add_application(
        deps, "Acem", "Dev", applied_on=d("2026-02-20")
    ).application.id
    corrections.edit_application(deps, app_id, corrections.ApplicationEdit(company="Acme"))
    newest, first = history.entries(deps)
    assert first.summary == "added acem-dev (Acem, Dev)"
    assert newest.summary == "acem-dev: company 'Acem' -> 'Acme'"
    assert newest.revisions[0].key == app_id
    assert newest.revisions[0].before is not None
    assert newest.undoable


def test_a_change_that_changes_nothing_leaves_no_entry(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acme", "Dev").application.id
    applications.set_status(deps, app_id, Status.ACTIVE)  # already active
    assert len(history.entries(deps)) == 1


def test_a_request_learns_its_own_entry_from_the_write(deps: Deps) -> None:
    """``entry_of`` (what the web's answers and Undo buttons name) is the entry the use
    case committed, None for a no-op, whatever else was written before."""
    saved, first = entry_of(lambda: applications.add_application(deps, "Acme", "Dev"))
    app_id = saved.application.id
    assert first == history.entries(deps)[0].id
    assert saved.today == NOW.date()  # the write's day: the answer needs no read for it
    _, none = entry_of(lambda: applications.set_status(deps, app_id, Status.ACTIVE))
    assert none is None  # a no-op: no Undo offered for the earlier change
    _, second = entry_of(lambda: applications.set_status(deps, app_id, Status.REJECTED))
    assert second is not None
    assert second != first
    assert second == history.entries(deps)[0].id


def test_undo_walks_back_one_change_after_another(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acme", "Dev").application.id
    applications.set_status(deps, app_id, Status.REJECTED)
    touches.log_touch(deps, app_id, touches.TouchInput(Outcome.REPLIED))

    first = history.undo(deps)
    assert "touch t1 added" in first.entry.summary
    with deps.store.reading() as repo:
        app = repo.get(app_id)
    assert app is not None
    assert app.touches == ()
    assert app.status is Status.REJECTED

    history.undo(deps)
    with deps.store.reading() as repo:
        app = repo.get(app_id)
    assert app is not None
    assert app.status is Status.ACTIVE

    history.undo(deps)
    with deps.store.reading() as repo:
        assert repo.get(app_id) is None
    with pytest.raises(Refused, match="nothing to undo"):
        history.undo(deps)
    listed = history.entries(deps)
    assert [e.undoes for e in listed[:3]] == [1, 2, 3]  # each undo is listed, newest first
    assert all(e.undone_by is not None for e in listed[3:])


def test_an_undo_is_refused_when_the_record_changed_outside_the_history(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acme", "Dev").application.id
    corrections.edit_application(deps, app_id, corrections.ApplicationEdit(notes="first"))
    with deps.store.writing() as repo:  # a write that bypassed the services
        app = repo.get(app_id)
        assert app is not None
        repo.put(replace(app, notes="changed behind our back"))
    with pytest.raises(Refused, match=r"cannot undo change 2 .* changed since"):
        history.undo(deps)
    with deps.store.reading() as repo:
        app = repo.get(app_id)
    assert app is not None
    assert app.notes == "changed behind our back"  # nothing written
    assert history.entries(deps)[0].undoable


def test_undo_names_the_change_it_was_shown_beside(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acme", "Dev").application.id
    applications.snooze(deps, app_id, d("2026-04-01"))
    with pytest.raises(Refused, match="change 1 is not the newest: undo change 2"):
        history.undo(deps, entry_id=1)
    with pytest.raises(NotFound):
        history.undo(deps, entry_id=99)
    assert history.undo(deps, entry_id=2).entry.id == 2


def test_undo_restores_the_settings(deps: Deps) -> None:
    settings.set_value(deps, "first_follow_up_days", "3")
    entry = history.entries(deps)[0]
    assert entry.revisions[0].key == SETTINGS
    assert entry.summary == "settings: first_follow_up_days 7 -> 3"
    history.undo(deps)
    assert settings.show(deps).policy.first_follow_up_days == 7


def test_undo_of_a_delete_brings_the_application_back_whole(deps: Deps) -> None:
    app_id = applications.add_application(deps, "Acme", "Dev").application.id
    contacts.add_contact(deps, app_id, contacts.ContactInput("Ana Sousa", email="ana@acme.example"))
    touches.log_touch(deps, app_id, touches.TouchInput(Outcome.SENT))
    with deps.store.reading() as repo:
        whole = repo.get(app_id)
    corrections.delete_application(deps, app_id)
    assert "deleted acme-dev" in history.entries(deps)[0].summary
    history.undo(deps)
    with deps.store.reading() as repo:
        assert repo.get(app_id) == whole


def test_a_moved_moment_is_described_in_the_users_zone() -> None:
    """Every screen shows a moment in the user's zone; the history's words do too."""
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from followup.domain.history import describe  # noqa: PLC0415
    from tests.builders import application, interview  # noqa: PLC0415

    before = application(interviews=(interview(at("2026-03-10", 15)),))
    after = application(interviews=(interview(at("2026-03-12", 19)),))
    said = describe(before, after, ZoneInfo("America/New_York"))
    assert said == (
        "acme-backend: interview iv1 at Tue 10 Mar 2026 11:00 -> Thu 12 Mar 2026 15:00",
    )
    assert "T15:00+00:00" in describe(before, after)[0]  # no zone given: ISO in UTC, as before
