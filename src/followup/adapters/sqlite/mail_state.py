"""What email needs remembered: the outbox, how far each folder was read, and which
touches and contacts a message belongs to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from followup.adapters.sqlite.batched import Batched
from followup.adapters.sqlite.columns import ts
from followup.domain.model import Purpose
from followup.domain.outbox import OutboxState

if TYPE_CHECKING:  # the mail code loads when mail is sent or read, not with every repository
    from followup.domain.mailbox import OutboxEntry, SentMail


class SqliteMailState(Batched):
    """Mixed into the repository; works on its connection."""

    def add_outbox(self, entry: OutboxEntry) -> int:
        cursor = self.conn.execute(
            "INSERT INTO outbox (action_id, application_id, contact_id, purpose, message_id,"
            " sender, recipient, subject, message, state, error, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.action_id, entry.application, entry.contact, entry.purpose,
                entry.message_id, entry.sender, entry.recipient, entry.subject, entry.message,
                entry.state, entry.error, ts(entry.created_at), ts(entry.updated_at),
            ),
        )  # fmt: skip
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        sql = _OUTBOX + " WHERE state IN ({marks}) ORDER BY id"
        return [_outbox(r) for r in self._in(sql, states)]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        row = self.conn.execute(_OUTBOX + " WHERE id = ?", (entry_id,)).fetchone()
        return _outbox(row) if row else None

    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None:
        self.conn.execute(
            "UPDATE outbox SET state = ?, error = ?, updated_at = ? WHERE id = ?",
            (state, error, ts(now), entry_id),
        )

    def folder_state(self, folder: str) -> tuple[int, int] | None:
        row = self.conn.execute(
            "SELECT uidvalidity, last_uid FROM mail_folder WHERE folder = ?", (folder,)
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        self.conn.execute(
            "INSERT INTO mail_folder (folder, uidvalidity, last_uid) VALUES (?, ?, ?)"
            " ON CONFLICT (folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
            " last_uid = excluded.last_uid",
            (folder, uidvalidity, last_uid),
        )

    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        sql = (
            "SELECT message_id, application_id, contact_id, purpose FROM touch"
            " WHERE message_id IN ({marks}) AND outcome = 'sent'"
        )
        from followup.domain.mailbox import SentMail  # noqa: PLC0415

        return {r[0]: SentMail(r[1], r[2], Purpose(r[3])) for r in self._in(sql, message_ids)}

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        sql = "SELECT message_id FROM touch WHERE message_id IN ({marks})"
        return {r[0] for r in self._in(sql, message_ids)}

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        sql = (
            "SELECT lower(c.email), c.application_id, c.id FROM contact AS c"
            " JOIN plan_application AS p ON p.application_id = c.application_id"
            " WHERE lower(c.email) IN ({marks})"
            " ORDER BY p.is_open DESC, p.added_on DESC, c.application_id"
        )
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for address, app_id, contact_id in self._in(sql, [a.lower() for a in addresses]):
            found[address].append((app_id, contact_id))
        return dict(found)


_OUTBOX = (
    "SELECT id, action_id, application_id, contact_id, purpose, message_id, sender, recipient,"
    " subject, message, state, error, created_at, updated_at FROM outbox"
)


def _outbox(r: Any) -> OutboxEntry:
    from followup.domain.mailbox import OutboxEntry  # noqa: PLC0415

    return OutboxEntry(
        id=r[0], action_id=r[1], application=r[2], contact=r[3], purpose=Purpose(r[4]),
        message_id=r[5], sender=r[6], recipient=r[7], subject=r[8], message=bytes(r[9]),
        state=OutboxState(r[10]), error=r[11], created_at=datetime.fromisoformat(r[12]),
        updated_at=datetime.fromisoformat(r[13]),
    )  # fmt: skip
