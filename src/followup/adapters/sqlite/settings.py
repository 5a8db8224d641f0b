"""The setting table: the user's settings and the mail settings, one JSON value per key."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING

from followup.adapters.sqlite.batched import Batched
from followup.domain.policy import POLICY_KEYS, Policy
from followup.domain.settings import Settings

if TYPE_CHECKING:  # the mail code loads when mail is set up, sent or read
    from followup.domain.mailbox import MailSettings


class SqliteSettings(Batched):
    """Mixed into the repository; works on its connection."""

    def load_settings(self) -> Settings:
        rows = tuple(self.conn.execute("SELECT key, value FROM setting"))
        if self._memo is not None:  # a read: the mail settings are among these rows
            self._memo["settings"] = rows
        return _settings(rows)

    def has_settings(self) -> bool:
        return self.conn.execute("SELECT 1 FROM setting LIMIT 1").fetchone() is not None

    def save_settings(self, settings: Settings) -> None:
        rows: list[tuple[str, object]] = [
            ("timezone", settings.timezone),
            ("country", settings.country),
            ("name", settings.name),
        ]
        rows += [(f"policy.{k}", v) for k, v in settings.policy.as_dict().items()]
        self.conn.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in rows],
        )

    def load_mail_settings(self) -> MailSettings:
        """Stored as text under ``mail.*`` keys, parsed by the one spec in ``MailSettings``."""
        known = self._memo.get("settings") if self._memo is not None else None
        if known is not None:
            return _mail_settings(tuple((k, v) for k, v in known if k.startswith("mail.")))
        rows = self.conn.execute("SELECT key, value FROM setting WHERE key LIKE 'mail.%'")
        return _mail_settings(tuple(rows))

    def save_mail_settings(self, settings: MailSettings) -> None:
        self.conn.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in settings.as_text().items()],
        )


@functools.lru_cache(maxsize=8)
def _settings(rows: tuple[tuple[str, str], ...]) -> Settings:
    """The settings these rows hold. Every read of the plan starts here (each page served
    afresh, issue 12): the same rows, parsed and checked once, give the same (immutable)
    settings again."""
    values = {k: json.loads(v) for k, v in rows}
    policy = {k[7:]: v for k, v in values.items() if k.startswith("policy.")}
    known = {k: v for k, v in policy.items() if k in POLICY_KEYS}
    return Settings(
        timezone=values.get("timezone") or Settings().timezone,
        country=values.get("country"),
        policy=Policy().with_values(known),
        name=values.get("name"),
    )


@functools.lru_cache(maxsize=8)
def _mail_settings(rows: tuple[tuple[str, str], ...]) -> MailSettings:
    """The mail settings these rows hold, parsed once (as :func:`_settings`): each page of
    cards asks whether mail can go."""
    from followup.domain.mailbox import MAIL_KEYS, MailSettings  # noqa: PLC0415

    settings = MailSettings()
    for key, value in rows:
        if key in MAIL_KEYS:
            settings = settings.with_value(key, json.loads(value))
    return settings
