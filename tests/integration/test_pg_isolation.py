"""Each person's search is theirs (issue 15): two seekers in one PostgreSQL database never
see, change or point at each other's rows, through any method of the store's ports.

Seeker A has something behind every port. Seeker B, in the same database, asks every
reading method about A's very ids and finds nothing; then calls every writing method
aimed at A's ids (the same application id, A's outbox entry, A's history entry); A's
whole view is unchanged afterwards, and A's change token did not move.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from followup.adapters.postgres.coaching import PostgresCoaching
from followup.adapters.postgres.store import PostgresStore
from followup.domain.agenda import Detail, Feed
from followup.domain.coaching import Looked
from followup.domain.digest import DigestState
from followup.domain.history import Revision
from followup.domain.insights import Timing
from followup.domain.mailbox import MailSettings, OutboxState
from followup.domain.model import Outcome, Purpose, Status
from followup.domain.settings import Settings
from followup.services import ports
from followup.services.ports import Repository
from tests.builders import application, at, d, interview, touch
from tests.integration.contract.support import EPOCH, outgoing, plans_of
from tests.pg_cluster import add_seeker

APP = "acme-backend"
NOW = at("2026-03-05")
A_ADDRESS = "ana@acme.example"
A_MESSAGE = "<thanks-a@example.org>"


def a_search() -> Any:
    """A's application: a contact, an interview, a sent touch with its Message-ID, a dismissal."""
    return application(
        APP,
        status=Status.ACCEPTED,
        notes="A's private notes",
        interviews=(interview("2026-03-10"),),
        touches=(
            touch(
                "2026-03-03", Outcome.SENT, Purpose.THANK_YOU, contact="ana", message_id=A_MESSAGE
            ),
        ),
        dismissed=frozenset({"apply_more"}),
    )


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[PostgresStore, PostgresStore, dict[str, int]]]:
    a, b = PostgresStore(pg_url, add_seeker(pg_url)), PostgresStore(pg_url, add_seeker(pg_url))
    try:
        yield a, b, _fill(a)
    finally:
        a.close()
        b.close()


def _fill(a: PostgresStore) -> dict[str, int]:
    app = a_search()
    with a.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT", name="Seeker A"))
        repo.save_mail_settings(MailSettings(address="a@example.org"))
        still_open = application("initech-open", company="Initech")
        repo.put_many([app, still_open])
        repo.replace_plans([(app, plans_of(app)), (still_open, [])], EPOCH)
        timed(repo).replace_timings([APP], [Timing(APP, "t1", d("2026-03-03"), d("2026-03-02"))])
        repo.set_plan_version("7")
        ids = {
            "history": repo.add_history(NOW, "A's change", (Revision(APP, None, "f", ("x",)),)),
            "outbox": repo.add_outbox(outgoing(APP, "<out-a@example.org>")),
        }
        repo.set_folder_state("INBOX", 11, 42)
        # a feed's token is unique in the whole database (its address names the seeker)
        repo.set_feed(Feed(secrets.token_hex(32), Detail(notes=True), NOW))
        repo.save_digest_state(DigestState(NOW, frozenset({("status:x", d("2026-03-06"))})))
    return ids


def timed(repo: Repository) -> ports.StoredTimings:
    """The server's repository keeps timed follow-ups (a port of its own)."""
    assert isinstance(repo, ports.StoredTimings)
    return repo


#: Every reading method, asked about A's ids.
READS: dict[str, Callable[[Repository, dict[str, int]], object]] = {
    "load_settings": lambda r, _: r.load_settings(),
    "has_settings": lambda r, _: r.has_settings(),
    "load_mail_settings": lambda r, _: r.load_mail_settings(),
    "get": lambda r, _: r.get(APP),
    "load": lambda r, _: r.load([APP]),
    "existing": lambda r, _: r.existing([APP]),
    "applications": lambda r, _: list(r.applications()),
    "company_keys": lambda r, _: r.company_keys([APP]),
    "all_company_keys": lambda r, _: r.all_company_keys(),
    "company_members": lambda r, _: r.company_members(["acme"]),
    "any_accepted": lambda r, _: r.any_accepted(),
    "search": lambda r, _: r.search("private", None, "company", 10, 0),
    "newest": lambda r, _: r.newest(Status.ACCEPTED, 10),
    "count_by_status": lambda r, _: r.count_by_status(),
    "insight_records": lambda r, _: r.insight_records(None, None),
    "interviews_between": lambda r, _: r.interviews_between(EPOCH, at("2027-01-01")),
    "contacts_of": lambda r, _: r.contacts_of([(APP, "ana")]),
    "notes_of": lambda r, _: r.notes_of([APP]),
    "stale": lambda r, _: r.stale(EPOCH - timedelta(days=1)),
    "exact_from": lambda r, _: r.exact_from([APP]),
    "planned": lambda r, _: r.planned(APP),
    "planned_many": lambda r, _: r.planned_many([APP]),
    "due": lambda r, _: r.due(NOW, d("2027-01-01")),
    "next_actions": lambda r, _: r.next_actions([APP], NOW, NOW.date()),
    "due_in_order": lambda r, _: list(r.due_in_order(NOW, EPOCH.date(), d("2027-01-01"))),
    "due_lines": lambda r, _: list(r.due_lines(NOW, EPOCH.date(), d("2027-01-01"))),
    "due_records": lambda r, _: list(r.due_records(NOW, EPOCH.date(), d("2027-01-01"))),
    "count_due": lambda r, _: r.count_due(NOW, EPOCH.date(), d("2027-01-01"), 100),
    "due_pages": lambda r, _: r.due_pages(NOW, [(EPOCH.date(), d("2027-01-01"))], 10, 100),
    "find_planned": lambda r, _: r.find_planned(f"prepare_interview:{APP}:iv1", NOW),
    "open_count": lambda r, _: r.open_count(10),
    "last_added": lambda r, _: r.last_added(),
    "next_change": lambda r, _: r.next_change(EPOCH),
    "plan_version": lambda r, _: r.plan_version(),
    "integrity_problems": lambda r, _: r.integrity_problems(),
    "history": lambda r, _: r.history(10),
    "history_entry": lambda r, ids: r.history_entry(ids["history"]),
    "last_undoable": lambda r, _: r.last_undoable(),
    "outbox": lambda r, _: r.outbox(list(OutboxState)),
    "outbox_entry": lambda r, ids: r.outbox_entry(ids["outbox"]),
    "folder_state": lambda r, _: r.folder_state("INBOX"),
    "sent_mail": lambda r, _: r.sent_mail([A_MESSAGE]),
    "known_message_ids": lambda r, _: r.known_message_ids([A_MESSAGE]),
    "contacts_by_address": lambda r, _: r.contacts_by_address([A_ADDRESS]),
    "feed": lambda r, _: r.feed(),
    "digest_state": lambda r, _: r.digest_state(),
    "stored_timings": lambda r, _: timed(r).stored_timings(),
}

#: What a seeker with nothing stored reads (the defaults of settings, empty otherwise).
NOTHING: dict[str, object] = {
    "load_settings": Settings(),
    "has_settings": False,
    "load_mail_settings": MailSettings(),
    "get": None,
    "load": [],
    "existing": set(),
    "applications": [],
    "company_keys": set(),
    "all_company_keys": [],
    "company_members": {},
    "any_accepted": False,
    "search": ([], 0),
    "newest": [],
    "count_by_status": {},
    "insight_records": [],
    "interviews_between": [],
    "contacts_of": {},
    "notes_of": {},
    "stale": set(),
    "exact_from": {},
    "planned": [],
    "planned_many": {},
    "due": [],
    "next_actions": {},
    "due_in_order": [],
    "due_lines": [],
    "due_records": [],
    "count_due": 0,
    "due_pages": [([], 0)],
    "find_planned": None,
    "open_count": 0,
    "last_added": None,
    "next_change": None,
    "plan_version": None,
    "integrity_problems": [],
    "history": [],
    "history_entry": None,
    "last_undoable": None,
    "outbox": [],
    "outbox_entry": None,
    "folder_state": None,
    "sent_mail": {},
    "known_message_ids": set(),
    "contacts_by_address": {},
    "feed": None,
    "digest_state": None,
    "stored_timings": [],
}


def view(store: PostgresStore, ids: dict[str, int]) -> dict[str, object]:
    with store.reading() as repo:
        return {name: read(repo, ids) for name, read in READS.items()}


def test_every_method_of_the_ports_is_tried() -> None:
    methods = {
        name
        for part in (*ports.Repository.__mro__[1:], ports.StoredTimings)
        if part.__module__ == ports.__name__
        for name, value in vars(part).items()
        if callable(value) and not name.startswith("_")
    }
    assert set(READS) | set(WRITES) == methods
    assert set(READS) == set(NOTHING)


def test_a_seeker_reads_nothing_of_another(two: Any) -> None:
    a, b, ids = two
    seen_by_a = view(a, ids)
    same = [name for name, empty in NOTHING.items() if seen_by_a[name] == empty]
    assert same == ["integrity_problems"]  # nothing wrong in either; all else is A's
    assert view(b, ids) == NOTHING


def _b_writes_at_a(b: PostgresStore, ids: dict[str, int]) -> None:
    """B's own application with A's id, then every writing method aimed at A's rows."""
    mine = application(APP, company="Globex", position="Data Engineer")
    with b.writing() as repo:
        for write in WRITES.values():
            write(repo, ids, mine)
    with pytest.raises(psycopg.errors.ForeignKeyViolation), b.writing() as repo:
        repo.add_history(NOW, "undo A's change", (), undoes=ids["history"])  # not B's entry


WRITES: dict[str, Callable[[Repository, dict[str, int], Any], object]] = {
    "save_settings": lambda r, _, __: r.save_settings(Settings("Asia/Tokyo", "JP")),
    "save_mail_settings": lambda r, _, __: r.save_mail_settings(MailSettings(address="b@x.org")),
    "put": lambda r, _, app: r.put(app),
    "put_many": lambda r, _, app: r.put_many([app]),
    "replace_plans": lambda r, _, app: r.replace_plans([(app, [])], NOW),
    "set_plan_version": lambda r, _, __: r.set_plan_version("99"),
    # before B's own change: B forgets all of theirs, none of A's
    "forget_history": lambda r, _, __: r.forget_history(NOW + timedelta(days=3650)),
    "add_history": lambda r, _, __: r.add_history(NOW, "B's change", ()),
    "add_outbox": lambda r, _, app: r.add_outbox(outgoing(app.id, "<out-a@example.org>")),
    "set_outbox_state": lambda r, ids, _: r.set_outbox_state(
        ids["outbox"], OutboxState.FAILED, "B was here", NOW
    ),
    "set_folder_state": lambda r, _, __: r.set_folder_state("INBOX", 1, 1),
    "set_feed": lambda r, _, __: r.set_feed(None),
    "save_digest_state": lambda r, _, __: r.save_digest_state(DigestState(NOW, frozenset())),
    "replace_timings": lambda r, _, app: timed(r).replace_timings(
        [app.id], [Timing(app.id, "t1", d("2026-03-04"), None)]
    ),
    "delete_many": lambda r, _, app: r.delete_many([app.id]),
}


def test_a_seeker_changes_nothing_of_another(two: Any) -> None:
    a, b, ids = two
    before, token = view(a, ids), a.change_token()
    _b_writes_at_a(b, ids)
    assert view(a, ids) == before
    assert a.change_token() == token
    with b.reading() as repo:  # B's own writes did land, in B's search only
        assert repo.load_settings() == Settings("Asia/Tokyo", "JP")
        assert repo.get(APP) is None  # deleted last
        assert repo.plan_version() == "99"
        assert [e.summary for e in repo.history(10)] == ["B's change"]


def test_the_schema_refuses_a_row_pointing_at_another_seekers(two: Any, pg_url: str) -> None:
    """Even SQL that forgets the seeker cannot link two searches: the keys include it."""
    a, b, _ = two
    statements = [
        "INSERT INTO contact (seeker_id, application_id, id, seq, name, role)"
        " VALUES (%(b)s, 'acme-backend', 'eve', 0, 'Eve', 'hr')",
        "INSERT INTO touch (seeker_id, application_id, id, seq, at, at_offset, contact_id,"
        " channel, purpose, outcome) SELECT %(b)s, application_id, 'x', 9, now(), 0, 'ana',"
        " 'email', 'status', 'sent' FROM contact WHERE seeker_id = %(a)s",
        "INSERT INTO planned_action (seeker_id, application_id, action_id, due, body)"
        " VALUES (%(b)s, 'acme-backend', 'status:acme-backend', '2026-03-09', '{}')",
        "INSERT INTO outbox (seeker_id, action_id, application_id, purpose, message_id, sender,"
        " recipient, subject, message, state, created_at, updated_at) VALUES (%(b)s, 'x',"
        " 'acme-backend', 'status', '<m>', 's', 'r', 's', '', 'sent', now(), now())",
    ]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for sql in statements:
            with pytest.raises(psycopg.errors.ForeignKeyViolation):
                conn.execute(sql, {"a": a.seeker, "b": b.seeker})
        # Only a seeker's account owns a search: a coach's cannot, in any way.
        coach = conn.execute(
            "INSERT INTO account (email, role) VALUES ('coach@example.org', 'coach') RETURNING id"
        ).fetchone()
        assert coach is not None
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO seeker (id) VALUES (%s)", coach)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO seeker (id, role) VALUES (%s, 'coach')", coach)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):  # nor may a seeker turn coach
            conn.execute("UPDATE account SET role = 'coach' WHERE id = %s", (a.seeker,))


# --- sharing with coaches (issue 15, item 4) ------------------------------------------------


def _coach(url: str) -> tuple[int, str]:
    email = f"coach-{secrets.token_hex(6)}@example.org"
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO account (email, role) VALUES (%s, 'coach') RETURNING id", (email,)
        ).fetchone()
    assert row is not None
    return int(row[0]), email


#: Every method of the Coaching port, called by seeker B or B's coach, aimed at A's ids.
COACHING: dict[str, Callable[[PostgresCoaching, dict[str, Any]], object]] = {
    "share": lambda c, x: c.share(x["b"], x["a_coach_email"], NOW),
    "unshare": lambda c, x: c.unshare(x["b"], x["a_coach_email"]),
    "shares_of": lambda c, x: c.shares_of(x["b"]),
    "look_at_caseload": lambda c, x: c.look_at_caseload(
        x["b_coach"], x["b_coach_email"], NOW, d("2026-01-01")
    ),
    "shared_seeker": lambda c, x: c.shared_seeker(x["b_coach"], x["a"]),
    "caseload_figures": lambda c, x: c.caseload_figures({x["b"]: d("2027-01-01")}, NOW, 3, 100, 30),
    "note_looks": lambda c, x: c.note_looks(
        x["b_coach"], x["b_coach_email"], [x["b"]], Looked.PLAN, NOW, d("2026-01-01")
    ),
    "looks": lambda c, x: c.looks(x["b"], 10),
}


def test_every_method_of_the_coaching_port_is_tried() -> None:
    methods = {
        name
        for name, value in vars(ports.Coaching).items()
        if callable(value) and not name.startswith("_")
    }
    assert set(COACHING) == methods


def test_sharing_and_a_coachs_reads_stay_with_their_seeker(two: Any, pg_url: str) -> None:
    """A shares with A's coach; B (and B's coach) call every method of the port aimed at
    A's ids: A's shares and access log are unchanged, and B's coach finds nothing of A."""
    a, b, _ = two
    coaching = PostgresCoaching(pg_url)
    a_coach, a_coach_email = _coach(pg_url)
    b_coach, b_coach_email = _coach(pg_url)
    assert coaching.share(a.seeker, a_coach_email, NOW) is not None
    coaching.note_looks(a_coach, a_coach_email, [a.seeker], Looked.PLAN, NOW, d("2026-01-01"))
    x = {
        "a": a.seeker,
        "b": b.seeker,
        "a_coach_email": a_coach_email,
        "b_coach": b_coach,
        "b_coach_email": b_coach_email,
    }
    before = (coaching.shares_of(a.seeker), coaching.looks(a.seeker, 10), a.change_token())
    found = {name: call(coaching, x) for name, call in COACHING.items()}
    assert found["shared_seeker"] is None
    assert found["look_at_caseload"] == []  # nobody shares with B's coach
    assert found["unshare"] is True
    assert found["shares_of"] == []
    _, late = coaching.caseload_figures({b.seeker: d("2026-01-31")}, NOW, 3, 100, 30)[b.seeker]
    assert late.compared == 0  # A's timed follow-up is A's
    _, late = coaching.caseload_figures({a.seeker: d("2026-01-31")}, NOW, 3, 100, 30)[a.seeker]
    assert late.compared == 1
    assert (coaching.shares_of(a.seeker), coaching.looks(a.seeker, 10), a.change_token()) == (
        before
    )
    looked = coaching.look_at_caseload(a_coach, a_coach_email, NOW, d("2026-01-01"))
    assert [s.id for s in looked] == [a.seeker]
    assert coaching.look_at_caseload(b_coach, b_coach_email, NOW, d("2026-01-01")) == []
    assert [look.coach_email for look in coaching.looks(b.seeker, 10)] == [b_coach_email]
    # the schema: only a coach's account can be shared with
    with (
        psycopg.connect(pg_url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.ForeignKeyViolation),
    ):
        conn.execute(
            "INSERT INTO share (seeker_id, coach_id, created_at) VALUES (%s, %s, now())",
            (a.seeker, b.seeker),
        )
