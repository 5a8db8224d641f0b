"""The contract of :class:`~followup.services.ports.History`: entries, newest first, and undo."""

from __future__ import annotations

from followup.domain.history import SETTINGS, Entry, Revision
from followup.domain.settings import Settings
from followup.services.ports import Store
from tests.builders import application, at, interview


def revision(app_id: str) -> Revision:
    return Revision(app_id, application(app_id, interviews=(interview(),)), "f1", ("status",))


def test_an_entry_round_trips_whole(store: Store) -> None:
    revisions = (
        revision("a"),
        Revision("b", None, "f2", ("added",)),
        Revision(SETTINGS, Settings("Europe/Lisbon", "PT"), "f3", ("time zone",)),
    )
    with store.writing() as repo:
        assert repo.history(10) == []
        entry_id = repo.add_history(at("2026-03-09", 9), "changed a, added b", revisions)
    with store.reading() as repo:
        expected = Entry(entry_id, at("2026-03-09", 9), "changed a, added b", revisions)
        assert repo.history_entry(entry_id) == expected
        assert repo.history(10) == [expected]
        assert repo.history_entry(entry_id + 1) is None


def test_the_history_pages_back_from_the_newest(store: Store) -> None:
    with store.writing() as repo:
        ids = [repo.add_history(at("2026-03-09", 9 + i), f"change {i}", ()) for i in range(4)]
    assert ids == sorted(set(ids))
    with store.reading() as repo:
        assert [e.id for e in repo.history(2)] == [ids[3], ids[2]]
        assert [e.id for e in repo.history(2, before=ids[2])] == [ids[1], ids[0]]
        assert [e.summary for e in repo.history(10, before=ids[1])] == ["change 0"]
        assert repo.history(10, before=ids[0]) == []


def test_an_undo_marks_what_it_reverted(store: Store) -> None:
    with store.writing() as repo:
        assert repo.last_undoable() is None
        first = repo.add_history(at("2026-03-09", 9), "first", (revision("a"),))
        second = repo.add_history(at("2026-03-09", 10), "second", (revision("a"),))
        undo = repo.add_history(at("2026-03-09", 11), "undo second", (), undoes=second)
    with store.reading() as repo:
        assert repo.history_entry(second) == Entry(
            second, at("2026-03-09", 10), "second", (revision("a"),), undone_by=undo
        )
        undid = repo.history_entry(undo)
        assert undid is not None
        assert (undid.undoes, undid.undone_by) == (second, None)
        last = repo.last_undoable()
        assert last is not None
        assert last.id == first


def test_forgetting_erases_the_older_entries_and_the_undos_of_them(store: Store) -> None:
    with store.writing() as repo:
        first = repo.add_history(at("2026-03-09", 9), "first", (revision("a"),))
        second = repo.add_history(at("2026-03-09", 10), "second", (revision("a"),))
        third = repo.add_history(at("2026-03-10", 9), "third", (revision("b"),))
        # an undo, the day after, of a change made before the cut: it goes with it
        undo_second = repo.add_history(at("2026-03-10", 10), "undo second", (), undoes=second)
        fourth = repo.add_history(at("2026-03-10", 11), "fourth", (revision("c"),))
        undo_fourth = repo.add_history(at("2026-03-10", 12), "undo fourth", (), undoes=fourth)
    with store.writing() as repo:
        assert repo.forget_history(at("2026-03-09", 23)) == 3
        assert repo.forget_history(at("2026-03-09", 23)) == 0  # nothing older is left
    with store.reading() as repo:
        assert [e.id for e in repo.history(10)] == [undo_fourth, fourth, third]
        assert repo.history_entry(first) is None
        assert repo.history_entry(undo_second) is None
        undone = repo.history_entry(fourth)
        assert undone is not None
        assert undone.undone_by == undo_fourth
        last = repo.last_undoable()
        assert last is not None
        assert last.id == third


def test_after_forgetting_everything_new_entries_take_new_numbers(store: Store) -> None:
    """``history --json`` promises increasing ids: a forgotten number is not given again."""
    with store.writing() as repo:
        ids = [repo.add_history(at("2026-03-09", 9 + i), f"change {i}", ()) for i in range(3)]
        assert repo.forget_history(at("2026-03-10", 9)) == 3
    with store.writing() as repo:
        assert repo.history(10) == []
        assert repo.last_undoable() is None
        new = repo.add_history(at("2026-03-10", 10), "after", ())
        assert new > max(ids)
        assert repo.forget_history(at("2026-03-09", 9)) == 0  # before every entry
        assert [e.id for e in repo.history(10)] == [new]
