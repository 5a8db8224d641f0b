"""The fake's outbox, folder states and message lookups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from followup.domain.mailbox import OutboxEntry, OutboxState, SentMail
from tests.fake_store.state import FakeState


class FakeMailState:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def add_outbox(self, entry: OutboxEntry) -> int:
        entry_id = max(self.state.outbox, default=0) + 1  # as SQLite's rowid: never in use
        self.state.outbox[entry_id] = replace(entry, id=entry_id)
        return entry_id

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        wanted = set(states)
        return [e for _, e in sorted(self.state.outbox.items()) if e.state in wanted]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        return self.state.outbox.get(entry_id)

    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None:
        entry = self.state.outbox[entry_id]
        self.state.outbox[entry_id] = replace(entry, state=state, error=error, updated_at=now)

    def folder_state(self, folder: str) -> tuple[int, int] | None:
        return self.state.folders.get(folder)

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        self.state.folders[folder] = (uidvalidity, last_uid)

    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        wanted = set(message_ids)
        return {
            t.message_id: SentMail(a.id, t.contact, t.purpose)
            for a in self.state.apps.values()
            for t in a.touches
            if t.message_id in wanted and t.outcome.value == "sent"
        }

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        wanted = set(message_ids)
        return {
            t.message_id
            for a in self.state.apps.values()
            for t in a.touches
            if t.message_id is not None and t.message_id in wanted
        }

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        wanted = {a.lower() for a in addresses}
        found: dict[str, list[tuple[str, str]]] = {}
        planned = [a for a in self.state.apps.values() if a.id in self.state.summary]
        planned.sort(key=lambda a: a.id)
        # the stored summary orders them, as SQL's ``is_open DESC, added_on DESC``
        planned.sort(key=lambda a: self._recency(a.id), reverse=True)
        for app in planned:
            for c in app.contacts:
                if c.email and c.email.lower() in wanted:
                    found.setdefault(c.email.lower(), []).append((app.id, c.id))
        return found

    def _recency(self, app_id: str) -> tuple[bool, bool, date]:
        is_open, added_on = self.state.summary[app_id]
        return (is_open, added_on is not None, added_on or date.min)
