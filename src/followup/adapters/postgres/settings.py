"""The seeker's settings and mail settings: one JSON value per key, as the local store."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from followup.adapters.postgres.owned import Owned
from followup.domain.mailbox import MAIL_KEYS, MailSettings
from followup.domain.policy import POLICY_KEYS, Policy
from followup.domain.settings import Settings

_UPSERT = (
    "INSERT INTO setting (seeker_id, key, value) VALUES (%s, %s, %s)"
    " ON CONFLICT (seeker_id, key) DO UPDATE SET value = excluded.value"
)


#: Every setting of the seeker (a write sends it with its lock: ``PostgresStore``).
SETTINGS = "SELECT key, value FROM setting WHERE seeker_id = %s"
#: :data:`SETTINGS` as one column of a query naming the seeker ``k`` (the web server's
#: session lookup, ``PostgresSignIns.session``): an array of ``[key, value]`` pairs.
SETTINGS_COLUMN = (
    "(SELECT array_agg(ARRAY[t.key, t.value]) FROM setting t WHERE t.seeker_id = k.id)"
)


class SessionRead(NamedTuple):
    """What the server's session lookup read of a seeker in its one statement: their
    change counter and their settings (``PostgresStore`` answers its change token and its
    first read's settings with them: the Today page after a write cost a statement less)."""

    changes: object
    settings: list[tuple[str, str]]


class PostgresSettings(Owned):
    #: The settings read with a write's lock (``PostgresStore``), true until this transaction
    #: writes one (no other can: a write holds the seeker's lock, ``PostgresStore``).
    _read_first: list[Any] | None = None

    def settings_read(self, rows: list[Any]) -> None:
        """The settings as the transaction's first round trip read them (the store)."""
        self._read_first = rows

    def load_settings(self) -> Settings:
        rows = self._read_first
        if rows is None:
            rows = self._rows(SETTINGS)
        if self._memo is not None:  # a read-only transaction: the mail settings are here too
            self._memo["settings"] = rows
        values = {k: json.loads(v) for k, v in rows}
        policy = {k[7:]: v for k, v in values.items() if k.startswith("policy.")}
        known = {k: v for k, v in policy.items() if k in POLICY_KEYS}
        return Settings(
            timezone=values.get("timezone") or Settings().timezone,
            country=values.get("country"),
            policy=Policy().with_values(known),
            name=values.get("name"),
        )

    def has_settings(self) -> bool:
        return self._one("SELECT 1 FROM setting WHERE seeker_id = %s LIMIT 1") is not None

    def save_settings(self, settings: Settings) -> None:
        rows: list[tuple[str, object]] = [
            ("timezone", settings.timezone),
            ("country", settings.country),
            ("name", settings.name),
        ]
        rows += [(f"policy.{k}", v) for k, v in settings.policy.as_dict().items()]
        self._upsert(rows)

    def load_mail_settings(self) -> MailSettings:
        settings = MailSettings()
        known = self._memo.get("settings") if self._memo is not None else None
        known = known or self._read_first
        rows = known or self._rows(
            "SELECT key, value FROM setting WHERE seeker_id = %s AND key LIKE 'mail.%%'"
        )
        for key, value in rows:
            if key in MAIL_KEYS:
                settings = settings.with_value(key, json.loads(value))
        return settings

    def save_mail_settings(self, settings: MailSettings) -> None:
        self._upsert(list(settings.as_text().items()))

    def _upsert(self, rows: list[tuple[str, object]]) -> None:
        self._read_first = None  # read again after this write
        with self.conn.cursor() as c:
            c.executemany(_UPSERT, [(self.seeker, k, json.dumps(v)) for k, v in rows])
