"""The history of changes, and undo.

Undo walks back: each ``undo`` reverts the newest change that is neither an undo nor
already undone, so repeated undos take back one change after another. It restores each
record exactly as it was, and refuses (writing nothing) when a record no longer matches
what the change left, since restoring it would throw away a later edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from followup.domain.history import SETTINGS, Entry
from followup.domain.model import Application
from followup.domain.settings import Settings
from followup.errors import NotFound, Refused
from followup.formats.history import fingerprint
from followup.services.session import Deps, writing

#: The most entries one page of ``history`` lists.
PAGE = 50


def entries(deps: Deps, limit: int = PAGE, before: int | None = None) -> list[Entry]:
    """The newest changes first (those older than entry ``before`` when given)."""
    with deps.store.reading() as repo:
        return repo.history(max(1, min(limit, 500)), before)


def entry(deps: Deps, entry_id: int) -> Entry | None:
    with deps.store.reading() as repo:
        return repo.history_entry(entry_id)


def newest_undoable(deps: Deps) -> Entry | None:
    """The change an ``undo`` without an id would revert, if any."""
    with deps.store.reading() as repo:
        return repo.last_undoable()


def forget(deps: Deps, before: date | None) -> int:
    """Erase the changes made before the local day ``before`` (None: all of them) and the
    undos of them: how many. What they held is gone for good (a deleted application with
    its contacts, a record as it was before a correction), and they can no longer be undone.

    The one change that is no entry of the history, since nothing could undo it: who
    forgets wants the records gone, not kept once more."""
    with deps.store.writing() as repo:
        if before is None:
            return repo.forget_history(datetime.max.replace(tzinfo=UTC))
        return repo.forget_history(datetime.combine(before, time(), repo.load_settings().tz))


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo reverted (``entry``) and the entry it wrote itself (``undo``)."""

    entry: Entry
    undo: int


def undo(deps: Deps, entry_id: int | None = None, now: datetime | None = None) -> Undone:
    """Revert the newest change; ``entry_id``, when given, must be that change.

    The web app's "Undo" button names the change it was shown beside: when another
    change came after it, undoing it alone could not restore the records exactly.
    """
    with writing(deps, now) as s:
        entry = s.repo.last_undoable()
        if entry is None:
            raise Refused("nothing to undo")
        if entry_id is not None and entry.id != entry_id:
            if s.repo.history_entry(entry_id) is None:
                raise NotFound(f"no change {entry_id} in the history")
            raise Refused(
                f"change {entry_id} is not the newest: undo change {entry.id} "
                f"({entry.summary}) first"
            )
        for revision in entry.revisions:
            current: Application | Settings | None = (
                s.settings if revision.key == SETTINGS else s.repo.get(revision.key)
            )
            if fingerprint(current) != revision.after:
                raise Refused(
                    f"cannot undo change {entry.id} ({entry.summary}): "
                    f"{_name(revision.key)} was changed since, outside this history; "
                    "correct it by hand instead"
                )
        for revision in entry.revisions:
            before = revision.before
            if isinstance(before, Settings):
                s.change_settings(before)
            elif before is None:
                s.delete([revision.key])
            else:
                s.save(before)
        s.label = f"undo of change {entry.id}: {entry.summary}"
        s.undoes = entry.id
    assert s.entry_id is not None  # an undo always writes its entry
    return Undone(entry, s.entry_id)


def _name(key: str) -> str:
    return "the settings" if key == SETTINGS else f"application {key}"
