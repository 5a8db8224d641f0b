"""The PostgreSQL store's transactions keep the local store's promises (issue 15): a
seeker's writes run one at a time (none lost), a read is one snapshot, a write that waits
too long is refused with nothing written, and different seekers never wait on each other."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import psycopg
import pytest

from followup.adapters.postgres.store import PostgresStore
from followup.errors import DatabaseBusy, DatabaseRefused, DatabaseUnreachable, NotFound
from followup.services.ports import Store
from tests.builders import application, contact, touch
from tests.pg_cluster import Cluster, add_seeker


def _store(url: str, seeker: int | None = None) -> PostgresStore:
    return PostgresStore(url, seeker if seeker is not None else add_seeker(url))


def test_writes_of_one_seeker_wait_their_turn_and_lose_nothing(pg_url: str) -> None:
    """Eight writers each read the notes and append to them, 10 times: every append stays."""
    seeker = add_seeker(pg_url)
    first = _store(pg_url, seeker)
    with first.writing() as repo:
        repo.put(application(notes=""))
    first.close()

    def append(n: int) -> None:
        store = _store(pg_url, seeker)
        try:
            for i in range(10):
                with store.writing() as repo:
                    app = repo.get("acme-backend")
                    assert app is not None
                    repo.put(replace(app, notes=f"{app.notes}{n}.{i};"))
        finally:
            store.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check = _store(pg_url, seeker)
    with check.reading() as repo:
        app = repo.get("acme-backend")
    check.close()
    assert app is not None
    assert app.notes is not None
    assert sorted(app.notes.split(";")[:-1]) == sorted(
        f"{n}.{i}" for n in range(8) for i in range(10)
    )


def test_a_write_waiting_too_long_is_refused_and_others_go_on(pg_url: str) -> None:
    seeker = add_seeker(pg_url)
    holder, waiter, other = _store(pg_url, seeker), _store(pg_url, seeker), _store(pg_url)
    waiter.write_wait = 0.3
    try:
        with holder.writing() as repo:
            repo.put(application("held"))
            started = time.monotonic()
            with pytest.raises(DatabaseBusy, match="nothing was written"), waiter.writing() as w:
                w.put(application("never"))
            assert 0.3 <= time.monotonic() - started < 5
            with other.writing() as o:  # another seeker does not wait
                o.put(application("elsewhere"))
            with waiter.reading() as r:  # readers do not wait, and see the last commit
                assert r.existing(["held", "never"]) == set()
        with waiter.writing() as w:  # the lock is free again; the refused write left nothing
            assert w.existing(["held", "never"]) == {"held"}
    finally:
        for store in (holder, waiter, other):
            store.close()


def test_a_read_is_one_snapshot_and_writes_nothing(pg_url: str) -> None:
    seeker = add_seeker(pg_url)
    reader, writer = _store(pg_url, seeker), _store(pg_url, seeker)
    try:
        with reader.reading() as r:
            assert r.existing(["acme-backend"]) == set()
            with writer.writing() as w:
                w.put(application())
            assert r.existing(["acme-backend"]) == set()  # still its snapshot
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                r.put(application("sneaky"))
        with reader.reading() as r:
            assert r.existing(["acme-backend", "sneaky"]) == {"acme-backend"}
    finally:
        reader.close()
        writer.close()


def test_the_change_token_moves_only_on_a_write_that_changed_something(pg_url: str) -> None:
    """An empty write commits nothing: the web app's page cache keeps its pages."""
    store: Store = _store(pg_url)
    try:
        before = store.change_token()
        with store.writing() as repo:
            repo.get("acme-backend")
        assert store.change_token() == before
    finally:
        store.close()  # type: ignore[attr-defined]


def test_a_change_token_read_with_the_session_is_used_once_and_never_after_a_write(
    pg_url: str,
) -> None:
    """The web server reads the token with the session (``changes``): the page's cache
    check takes it without a query; a second ask, or one after a write, reads the row."""
    seeker = add_seeker(pg_url)
    read = _store(pg_url, seeker)
    token = read.change_token()
    read.close()
    primed = PostgresStore(pg_url, seeker, changes="as read with the session")
    assert primed.change_token() == "as read with the session"
    assert primed.change_token() == token  # used once: read again
    primed.close()
    writer = PostgresStore(pg_url, seeker, changes=token)
    with writer.writing() as repo:
        repo.put(application())
    assert writer.change_token() != token  # the write moved it: not the one primed
    writer.close()


def test_a_write_leaves_alone_what_it_would_write_again_unchanged(pg_url: str) -> None:
    """``put`` of an application this transaction loaded writes only what differs: a
    notes edit is one statement; a changed contact replaces the children; an unchanged
    application writes nothing (the change token stays); what another transaction wrote
    meanwhile is never taken for known."""
    seeker = add_seeker(pg_url)
    store = _store(pg_url, seeker)
    other = _store(pg_url, seeker)
    try:
        with store.writing() as repo:
            repo.put(application(notes="first", touches=(touch("2026-03-02"),)))
        with store.writing() as repo:
            app = repo.get("acme-backend")
            assert app is not None
            before = _written(repo.conn)
            repo.put(replace(app, notes="second"))
            after = _written(repo.conn)
        changed = {t: n for t, n in after.items() if before.get(t) != n}
        assert changed.keys() == {"application"}  # the row alone
        assert after["application"][1] == before.get("application", (0, 0, 0))[1] + 1
        token = store.change_token()
        with store.writing() as repo:
            app = repo.get("acme-backend")
            assert app is not None
            repo.put(app)  # nothing changed: nothing written
        assert store.change_token() == token
        with store.writing() as repo:
            app = repo.get("acme-backend")
            assert app is not None
            repo.put(replace(app, contacts=(contact("bea"),), touches=()))
            repo.put(replace(app, contacts=(contact("bea"),), touches=(), notes="third"))
        with other.writing() as repo:  # another store's write: ours must not miss it
            app = repo.get("acme-backend")
            assert app is not None
            repo.put(replace(app, dismissed=frozenset({"acme-backend:apply"})))
        with store.writing() as repo:
            app = repo.get("acme-backend")
            assert app is not None
            repo.delete_many([app.id])
            repo.put(app)  # deleted then put back: written whole again
        with store.reading() as repo:
            stored = repo.get("acme-backend")
        assert stored is not None
        assert stored.notes == "third"
        assert [c.id for c in stored.contacts] == ["bea"]
        assert stored.touches == ()
        assert stored.dismissed == frozenset({"acme-backend:apply"})
    finally:
        store.close()
        other.close()


def _written(conn: psycopg.Connection[Any]) -> dict[str, tuple[int, int, int]]:
    """The rows inserted, updated and deleted, by table, as this connection counts them
    (since PostgreSQL 15 with its earlier transactions' counts not yet reported)."""
    rows = conn.execute(
        "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
        " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_store_for_a_seeker_that_does_not_exist(pg_url: str) -> None:
    store = _store(pg_url, 10**12)
    with pytest.raises(NotFound, match="no seeker"), store.reading():
        pass


def test_a_database_without_the_schema_is_refused(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database("no_schema_store")
    with pytest.raises(DatabaseRefused, match="server init"), _store_no_seeker(url).reading():
        pass


def _store_no_seeker(url: str) -> PostgresStore:
    return PostgresStore(url, 1)


def test_an_older_schema_asks_for_migrate_and_is_left_as_it_is(pg_cluster: Cluster) -> None:
    from followup.adapters.postgres import schema  # noqa: PLC0415

    url = pg_cluster.create_database("older_schema_store")
    previous = [v for v, _ in schema.migrations()][-2]
    schema.init(url, previous)
    seeker = add_seeker(url)
    store = PostgresStore(url, seeker)
    with pytest.raises(DatabaseRefused, match=r"older .* migrate`"), store.reading():
        pass
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    assert row == (previous,)


def test_a_lost_server_is_one_line_and_the_store_reconnects(pg_url: str) -> None:
    store = _store(pg_url)
    try:
        with store.writing() as repo:
            repo.put(application())
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'followup' AND pid <> pg_backend_pid()"
                " AND datname = current_database()"
            )
        with pytest.raises(DatabaseUnreachable, match="connection lost"), store.reading() as r:
            r.get("acme-backend")
        with store.reading() as r:  # the next use connects anew
            assert r.existing(["acme-backend"]) == {"acme-backend"}
    finally:
        store.close()
