"""What email needs remembered: the outbox, how far each folder was read, and which
touches and contacts a message belongs to, all of one seeker."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from followup.adapters.postgres.owned import Owned, utc
from followup.domain.mailbox import OutboxEntry, OutboxState, SentMail
from followup.domain.model import Purpose

_OUTBOX = (
    "SELECT id, action_id, application_id, contact_id, purpose, message_id, sender, recipient,"
    " subject, message, state, error, created_at, updated_at FROM outbox WHERE seeker_id = %s"
)


class PostgresMailState(Owned):
    def add_outbox(self, entry: OutboxEntry) -> int:
        (entry_id,) = self._one(
            "INSERT INTO outbox (seeker_id, action_id, application_id, contact_id, purpose,"
            " message_id, sender, recipient, subject, message, state, error, created_at,"
            " updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " RETURNING id",
            entry.action_id, entry.application, entry.contact, entry.purpose.value,
            entry.message_id, entry.sender, entry.recipient, entry.subject, entry.message,
            entry.state.value, entry.error, entry.created_at, entry.updated_at,
        )  # fmt: skip
        return int(entry_id)

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        wanted = [s.value for s in states]
        rows = self._rows(_OUTBOX + " AND state = ANY(%s) ORDER BY id", wanted)
        return [_outbox(r) for r in rows]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        row = self._one(_OUTBOX + " AND id = %s", entry_id)
        return _outbox(row) if row else None

    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None:
        self.conn.execute(
            "UPDATE outbox SET state = %s, error = %s, updated_at = %s"
            " WHERE seeker_id = %s AND id = %s",
            (state.value, error, now, self.seeker, entry_id),
        )

    def folder_state(self, folder: str) -> tuple[int, int] | None:
        row = self._one(
            "SELECT uidvalidity, last_uid FROM mail_folder WHERE seeker_id = %s AND folder = %s",
            folder,
        )
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        self.conn.execute(
            "INSERT INTO mail_folder (seeker_id, folder, uidvalidity, last_uid)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (seeker_id, folder) DO UPDATE"
            " SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
            (self.seeker, folder, uidvalidity, last_uid),
        )

    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        rows = self._rows(
            "SELECT message_id, application_id, contact_id, purpose FROM touch"
            " WHERE seeker_id = %s AND message_id = ANY(%s) AND outcome = 'sent'",
            list(message_ids),
        )
        return {r[0]: SentMail(r[1], r[2], Purpose(r[3])) for r in rows}

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        rows = self._rows(
            "SELECT message_id FROM touch WHERE seeker_id = %s AND message_id = ANY(%s)",
            list(message_ids),
        )
        return {r[0] for r in rows}

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        rows = self._rows(
            "SELECT lower(c.email), c.application_id, c.id FROM contact AS c"
            " JOIN plan_application AS p"
            "   ON p.seeker_id = c.seeker_id AND p.application_id = c.application_id"
            " WHERE c.seeker_id = %s AND c.email IS NOT NULL AND lower(c.email) = ANY(%s)"
            " ORDER BY p.is_open DESC, p.added_on DESC NULLS LAST, c.application_id",
            [a.lower() for a in addresses],
        )
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for address, app_id, contact_id in rows:
            found[address].append((app_id, contact_id))
        return dict(found)


def _outbox(r: Any) -> OutboxEntry:
    return OutboxEntry(
        id=int(r[0]), action_id=r[1], application=r[2], contact=r[3], purpose=Purpose(r[4]),
        message_id=r[5], sender=r[6], recipient=r[7], subject=r[8], message=bytes(r[9]),
        state=OutboxState(r[10]), error=r[11], created_at=utc(r[12]), updated_at=utc(r[13]),
    )  # fmt: skip
