"""The fake's history of changes, numbered from 1 as entries are added."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from followup.domain.history import Entry, Revision
from tests.fake_store.state import FakeState


class FakeHistory:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def add_history(
        self,
        at: datetime,
        summary: str,
        revisions: tuple[Revision, ...],
        undoes: int | None = None,
    ) -> int:
        entry_id = max((e.id for e in self.state.history), default=self.state.forgotten) + 1
        self.state.history.append(Entry(entry_id, at, summary, revisions, undoes))
        if undoes is not None:
            self.state.history = [
                replace(e, undone_by=entry_id) if e.id == undoes else e for e in self.state.history
            ]
        return entry_id

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        older = [e for e in self.state.history if before is None or e.id < before]
        return older[::-1][:limit]

    def history_entry(self, entry_id: int) -> Entry | None:
        return next((e for e in self.state.history if e.id == entry_id), None)

    def forget_history(self, before: datetime) -> int:
        cut = max((e.id for e in self.state.history if e.at < before), default=None)
        if cut is None:
            return 0
        kept = [e for e in self.state.history if e.id > cut and (e.undoes or cut + 1) > cut]
        self.state.forgotten = max(self.state.forgotten, cut)
        gone, self.state.history = len(self.state.history) - len(kept), kept
        return gone

    def last_undoable(self) -> Entry | None:
        return next((e for e in reversed(self.state.history) if e.undoable), None)
