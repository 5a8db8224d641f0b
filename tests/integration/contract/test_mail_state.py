"""The contract of :class:`~followup.services.ports.MailState`: the outbox, the folders read,
and the touches and contacts a message belongs to."""

from __future__ import annotations

from dataclasses import replace

from followup.domain.mailbox import OutboxState, SentMail
from followup.domain.model import Purpose, Status
from followup.services.ports import Store
from tests.builders import application, at, contact, d, thanked, touch
from tests.integration.contract.support import EPOCH, outgoing


def test_the_outbox_keeps_each_entry_whole(store: Store) -> None:
    entry = outgoing("a", "<one@x>")
    with store.writing() as repo:
        repo.put(application("a"))
        entry_id = repo.add_outbox(entry)
    with store.reading() as repo:
        assert repo.outbox_entry(entry_id) == replace(entry, id=entry_id)
        assert repo.outbox_entry(entry_id + 1) is None


def test_the_outbox_lists_by_state_oldest_first(store: Store) -> None:
    with store.writing() as repo:
        repo.put(application("a"))
        ids = [repo.add_outbox(outgoing("a", f"<{i}@x>")) for i in range(3)]
        repo.set_outbox_state(ids[1], OutboxState.FAILED, "550 no such user", at("2026-03-09", 10))
        repo.set_outbox_state(ids[2], OutboxState.SENT, None, at("2026-03-09", 11))
    assert ids == sorted(set(ids))
    with store.reading() as repo:
        assert [e.id for e in repo.outbox([OutboxState.SENDING])] == [ids[0]]
        open_ = repo.outbox([OutboxState.FAILED, OutboxState.SENDING])
        assert [e.id for e in open_] == ids[:2]
        assert repo.outbox([]) == []
        failed = repo.outbox_entry(ids[1])
        assert failed == replace(
            outgoing("a", "<1@x>", OutboxState.FAILED),
            id=ids[1],
            error="550 no such user",
            updated_at=at("2026-03-09", 10),
        )


def test_an_outbox_id_is_never_given_twice_at_once(store: Store) -> None:
    """After the entries of a deleted application go, a new entry gets a new id."""
    with store.writing() as repo:
        repo.put_many([application("a"), application("b")])
        gone = repo.add_outbox(outgoing("a", "<a@x>"))
        kept = repo.add_outbox(outgoing("b", "<b@x>"))
        repo.delete_many(["a"])
        new = repo.add_outbox(outgoing("b", "<c@x>"))
    assert new not in (gone, kept)
    with store.reading() as repo:
        assert [e.message_id for e in repo.outbox([OutboxState.SENDING])] == ["<b@x>", "<c@x>"]
        entry = repo.outbox_entry(kept)
        assert entry is not None
        assert entry.message_id == "<b@x>"


def test_a_folder_remembers_how_far_it_was_read(store: Store) -> None:
    with store.writing() as repo:
        assert repo.folder_state("INBOX") is None
        repo.set_folder_state("INBOX", 7, 120)
        repo.set_folder_state("Replies", 3, 5)
    with store.writing() as repo:
        assert repo.folder_state("INBOX") == (7, 120)
        repo.set_folder_state("INBOX", 8, 0)
    with store.reading() as repo:
        assert repo.folder_state("INBOX") == (8, 0)
        assert repo.folder_state("Replies") == (3, 5)
        assert repo.folder_state("inbox") is None


def test_messages_lead_back_to_their_touches(store: Store) -> None:
    """What a reply may answer is an email sent; any touch's Message-ID counts as known."""
    app = application(
        "a",
        touches=(
            replace(thanked(), message_id="<sent@x>"),
            replace(touch("2026-03-10", "replied", contact="ana"), message_id="<reply@x>"),
            touch("2026-03-11", "no_answer"),
        ),
    )
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        asked = ["<sent@x>", "<reply@x>", "<other@x>"]
        assert repo.sent_mail(asked) == {"<sent@x>": SentMail("a", "ana", Purpose.THANK_YOU)}
        assert repo.known_message_ids(asked) == {"<sent@x>", "<reply@x>"}
        assert repo.sent_mail([]) == {}
        assert repo.known_message_ids([]) == set()


def test_an_address_finds_its_contacts_open_and_newest_first(store: Store) -> None:
    """Only applications with a stored plan count; addresses compare in lower case."""
    ana = contact("ana", email="Ana@Acme.example")
    apps = [
        application("old", contacts=(ana,), applied_on=d("2026-02-01")),
        application("new", contacts=(ana,), applied_on=d("2026-03-01")),
        application("closed", contacts=(ana,), applied_on=d("2026-03-05"), status=Status.REJECTED),
        application("also", contacts=(ana,), applied_on=d("2026-03-01")),
        application("rui", contacts=(contact("rui"),)),
    ]
    unplanned = application("unplanned", contacts=(ana,), applied_on=d("2026-03-09"))
    with store.writing() as repo:
        repo.put_many([*apps, unplanned])
        repo.replace_plans([(a, []) for a in apps], EPOCH)
    with store.reading() as repo:
        found = repo.contacts_by_address(["ANA@acme.example", "rui@acme.example", "x@y.example"])
    assert found == {
        "ana@acme.example": [("also", "ana"), ("new", "ana"), ("old", "ana"), ("closed", "ana")],
        "rui@acme.example": [("rui", "rui")],
    }
