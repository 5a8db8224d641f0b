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
        entry_id = len(self.state.history) + 1
        self.state.history.append(Entry(entry_id, at, summary, revisions, undoes))
        if undoes is not None:
            undone = self.state.history[undoes - 1]
            self.state.history[undoes - 1] = replace(undone, undone_by=entry_id)
        return entry_id

    def history(self, limit: int, before: int | None = None) -> list[Entry]:
        older = [e for e in self.state.history if before is None or e.id < before]
        return older[::-1][:limit]

    def history_entry(self, entry_id: int) -> Entry | None:
        return self.state.history[entry_id - 1] if 0 < entry_id <= len(self.state.history) else None

    def last_undoable(self) -> Entry | None:
        return next((e for e in reversed(self.state.history) if e.undoable), None)
