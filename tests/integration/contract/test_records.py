"""The contract of :class:`~followup.services.ports.Records`: applications stored whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings

from followup.domain.mailbox import OutboxState
from followup.domain.model import Application, Status
from followup.services.ports import Store
from tests.builders import application, interview, thanked
from tests.integration.contract.support import EPOCH, outgoing, plans_of
from tests.strategies import applications


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


def test_companies_group_applications(store: Store) -> None:
    apps = [
        application("a"),
        application("b", company=" ACME "),
        application("c", company="Globex"),
    ]
    with store.writing() as repo:
        repo.put_many(apps)
    with store.reading() as repo:
        assert repo.company_members(["acme", "initech"]) == {"acme": ["a", "b"]}
        assert repo.company_keys(["a", "c", "zzz"]) == {"acme", "globex"}
        assert repo.all_company_keys() == ["acme", "globex"]
        assert repo.existing(["a", "zzz"]) == {"a"}
        assert [a.id for a in repo.applications()] == ["a", "b", "c"]


def test_load_keeps_the_order_asked_and_skips_the_unknown(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a"), application("b"), application("c")])
    with store.reading() as repo:
        assert [a.id for a in repo.load(["c", "zzz", "a"])] == ["c", "a"]
        assert repo.load([]) == []


def test_applications_filter_by_status(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a"), application("b", status=Status.REJECTED)])
    with store.reading() as repo:
        assert [a.id for a in repo.applications(Status.REJECTED)] == ["b"]
        assert [a.id for a in repo.applications(Status.ACCEPTED)] == []


def test_any_accepted_looks_at_the_status(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a"), application("b", status=Status.REJECTED)])
        assert not repo.any_accepted()
        repo.put(application("c", status=Status.ACCEPTED))
    with store.reading() as repo:
        assert repo.any_accepted()


def test_deleting_takes_all_an_application_holds(store: Store) -> None:
    kept, gone = application("kept"), application("gone", interviews=(interview(),))
    with store.writing() as repo:
        repo.put_many([kept, gone])
        repo.replace_plans([(kept, plans_of(kept)), (gone, plans_of(gone))], EPOCH)
        kept_mail = repo.add_outbox(outgoing("kept", "<k@x>"))
        repo.add_outbox(outgoing("gone", "<g@x>"))
        repo.delete_many(["gone", "never-there"])
    with store.reading() as repo:
        assert repo.get("gone") is None
        assert repo.get("kept") == kept
        assert repo.existing(["kept", "gone"]) == {"kept"}
        assert repo.planned("gone") == []
        assert repo.exact_from(["kept", "gone"]) == {"kept": EPOCH}
        assert repo.stale(EPOCH - timedelta(days=1)) == {"kept"}
        assert repo.open_count(10) == 1
        assert [e.id for e in repo.outbox([OutboxState.SENDING])] == [kept_mail]
        assert repo.all_company_keys() == ["acme"]


def test_many_applications_cross_the_batches(store: Store) -> None:
    """More than a statement binds at once (the SQLite store reads 500 per batch)."""
    apps = [application(f"app-{i:04}", company=f"Company {i % 3}") for i in range(1201)]
    wanted = [a.id for a in reversed(apps)]
    with store.writing() as repo:
        repo.put_many(apps)
    with store.reading() as repo:
        assert [a.id for a in repo.load(wanted)] == wanted
        assert len(list(repo.applications())) == len(apps)
        assert repo.existing([*wanted, "zzz"]) == set(wanted)
        members = repo.company_members(["company 0", "company 1", "company 2"])
        assert sorted(len(ids) for ids in members.values()) == [400, 400, 401]
    with store.writing() as repo:
        repo.delete_many(wanted[:1100])
    with store.reading() as repo:
        assert len(repo.existing(wanted)) == 101
