"""The repository contract: every store (the SQLite one, the fake, later PostgreSQL) passes it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from followup.adapters.sqlite.store import SqliteStore
from followup.domain.agenda import Detail, Feed
from followup.domain.digest import DigestState
from followup.domain.model import Application, Status
from followup.domain.planner import Planned, plan_company_over_time
from followup.domain.policy import Policy
from followup.domain.settings import Settings
from followup.services.ports import Store
from tests.builders import UTC_CAL, application, at, contact, d, interview, thanked
from tests.fakes import FakeStore
from tests.strategies import applications


@pytest.fixture(params=["sqlite", "fake"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "fake":
        yield FakeStore()
        return
    sqlite = SqliteStore(str(tmp_path / "contract.db"))
    yield sqlite
    sqlite.close()


EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def by_id(planned: list[Planned]) -> dict[str, Planned]:
    return {p.action.id + str(p.valid_from): p for p in planned}


def plans_of(app: Application) -> list[Planned]:
    ((_, planned),) = plan_company_over_time([app], Policy(), UTC_CAL, accepted=False)
    return planned


def test_an_application_round_trips_whole(store: Store) -> None:
    app = application(
        interviews=(interview(),), touches=(thanked(),), dismissed=frozenset({"debrief:x:y"})
    )
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        assert repo.get(app.id) == app
        assert repo.get("missing") is None


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(app=applications())
def test_any_application_round_trips(store: Store, app: Application) -> None:
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        loaded = repo.get(app.id)
    assert loaded == app
    assert loaded is not None
    assert [t.at.utcoffset() for t in loaded.touches] == [t.at.utcoffset() for t in app.touches]


def test_put_replaces_the_children(store: Store) -> None:
    app = application(interviews=(interview(),), touches=(thanked(),))
    with store.writing() as repo:
        repo.put(app)
        repo.put(replace(app, touches=(), interviews=(), status=Status.REJECTED))
    with store.reading() as repo:
        loaded = repo.get(app.id)
    assert loaded is not None
    assert (loaded.touches, loaded.interviews, loaded.status) == ((), (), Status.REJECTED)


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    def fail_midway() -> None:
        with store.writing() as repo:
            repo.put(application())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    with store.reading() as repo:
        assert repo.get("acme-backend") is None


def test_companies_group_applications(store: Store) -> None:
    apps = [
        application("a"),
        application("b", company=" ACME "),
        application("c", company="Globex"),
    ]
    with store.writing() as repo:
        repo.put_many(apps)
    with store.reading() as repo:
        assert repo.company_members(["acme"]) == {"acme": ["a", "b"]}
        assert repo.company_keys(["a", "c", "zzz"]) == {"acme", "globex"}
        assert repo.existing(["a", "zzz"]) == {"a"}
        assert [a.id for a in repo.applications()] == ["a", "b", "c"]
        assert [a.id for a in repo.load(["c", "a"])] == ["c", "a"]


def test_applications_filter_by_status(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a"), application("b", status=Status.REJECTED)])
    with store.reading() as repo:
        assert [a.id for a in repo.applications(Status.REJECTED)] == ["b"]


def test_settings_round_trip(store: Store) -> None:
    settings_ = Settings("Europe/Lisbon", "PT", Policy(first_follow_up_days=5), "Maria Silva")
    with store.writing() as repo:
        assert not repo.has_settings()
        repo.save_settings(settings_)
    with store.reading() as repo:
        assert repo.has_settings()
        assert repo.load_settings() == settings_


def test_the_stored_plan_is_read_by_instant_and_due_date(store: Store) -> None:
    app = application(interviews=(interview("2026-03-10"),))
    planned = plans_of(app)
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, planned)], EPOCH)
    before, after = at("2026-03-05"), at("2026-03-20")
    with store.reading() as repo:
        assert by_id(repo.planned(app.id)) == by_id(planned)
        assert [a.kind.value for a in repo.due(before, d("2026-03-09"))] == ["prepare_interview"]
        assert repo.due(before, d("2026-03-08")) == []
        assert sorted(a.kind.value for a in repo.due(after, d("2026-03-20"))) == [
            "status_call",
            "thank_you_email",
        ]
        assert repo.find_planned("prepare_interview:acme-backend:iv1", before) is not None
        assert repo.find_planned("prepare_interview:acme-backend:iv1", after) is None
        assert repo.find_planned("status:acme-backend", after) is not None


def test_replacing_a_plan_drops_the_old_rows(store: Store) -> None:
    app = application(interviews=(interview("2026-03-10"),))
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, plans_of(app))], EPOCH)
        repo.replace_plans([(app, [])], EPOCH)
    with store.reading() as repo:
        assert repo.planned(app.id) == []
        assert repo.due(at("2026-03-20"), d("2027-01-01")) == []


def test_open_count_and_last_added_follow_the_plans(store: Store) -> None:
    apps = [application(f"a{i}", applied_on=d(f"2026-03-0{i + 1}")) for i in range(4)]
    apps.append(application("closed", status=Status.REJECTED, applied_on=d("2026-03-09")))
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(a, []) for a in apps], EPOCH)
    with store.reading() as repo:
        assert repo.open_count(10) == 4
        assert repo.open_count(2) == 2
        assert repo.last_added() == d("2026-03-09")


def test_stale_applications_were_written_after_the_instant(store: Store) -> None:
    apps = [application("a"), application("b")]
    with store.writing() as repo:
        repo.put_many(apps)
        repo.replace_plans([(apps[0], [])], at("2026-03-01"))
        repo.replace_plans([(apps[1], [])], at("2026-03-10"))
    with store.reading() as repo:
        assert repo.stale(at("2026-03-05")) == {"b"}
        assert repo.stale(at("2026-03-10")) == set()
        assert repo.exact_from(["a", "b", "zzz"]) == {"a": at("2026-03-01"), "b": at("2026-03-10")}


def test_plan_version(store: Store) -> None:
    with store.writing() as repo:
        assert repo.plan_version() is None
        repo.set_plan_version("7")
    with store.reading() as repo:
        assert repo.plan_version() == "7"
        assert repo.integrity_problems() == []


def test_instants_compare_across_offsets(store: Store) -> None:
    """Rows store UTC: an instant given with an offset is found at the same moment."""
    lisbon_summer = datetime(2026, 7, 1, 10, tzinfo=UTC).astimezone(UTC)
    app = application(interviews=(interview(lisbon_summer.astimezone(UTC) + timedelta(hours=1)),))
    with store.writing() as repo:
        repo.put(app)
        repo.replace_plans([(app, plans_of(app))], EPOCH)
    with store.reading() as repo:
        assert repo.find_planned("prepare_interview:acme-backend:iv1", lisbon_summer) is not None


def test_interviews_in_a_span_name_their_interviewers_in_order(store: Store) -> None:
    app = application(
        contacts=(contact("ana"), contact("rui", name='Rui, Lopes "RL"')),
        interviews=(
            interview("2026-03-02", "iv1", interviewers=("rui", "ana")),
            interview("2026-03-20", "iv2", interviewers=()),
        ),
    )
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        (first,) = repo.interviews_between(at("2026-03-01"), at("2026-03-10"))
        assert first.interviewers == ('Rui, Lopes "RL"', "Ana Example")
        assert [s.interviewers for s in repo.interviews_between(EPOCH, at("2027-01-01"))] == [
            ('Rui, Lopes "RL"', "Ana Example"),
            (),
        ]


def test_notes_of_applications(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a", notes="line 1\nline 2"), application("b")])
    with store.reading() as repo:
        assert repo.notes_of(["a", "b", "missing"]) == {"a": "line 1\nline 2"}


def test_one_feed_at_a_time(store: Store) -> None:
    feed = Feed("ab" * 32, Detail(notes=True), at("2026-03-09"))
    with store.writing() as repo:
        assert repo.feed() is None
        repo.set_feed(feed)
    with store.reading() as repo:
        assert repo.feed() == feed
    newer = Feed("cd" * 32, Detail(phones=True), at("2026-03-10"))
    with store.writing() as repo:
        repo.set_feed(newer)
    with store.reading() as repo:
        assert repo.feed() == newer
    with store.writing() as repo:
        repo.set_feed(None)
    with store.reading() as repo:
        assert repo.feed() is None


def test_the_digest_remembers_its_last_state(store: Store) -> None:
    state = DigestState(
        at("2026-03-09", 8), frozenset({("status:a", d("2026-03-09"))}), d("2026-03-09")
    )
    with store.writing() as repo:
        assert repo.digest_state() is None
        repo.save_digest_state(state)
    with store.reading() as repo:
        assert repo.digest_state() == state
    empty = DigestState(at("2026-03-10", 8), frozenset(), None)
    with store.writing() as repo:
        repo.save_digest_state(empty)
    with store.reading() as repo:
        assert repo.digest_state() == empty
