"""A seeker's mail on the server, read and written in one transaction of their store
(``services.mail_account``): the ``mail.*`` setting rows, the sealed passwords
(``mail_secret``, only ever a token of ``adapters.secret_box``) and the digest switch.

The write takes the seeker's write lock as every write of theirs does
(``PostgresStore.writing``): the settings, the passwords and the switch change together or
not at all.
"""

from __future__ import annotations

from collections.abc import Mapping

from followup.adapters.postgres.store import PostgresStore
from followup.adapters.secret_box import SecretBox, Where
from followup.domain.mail_rules import ServerMail
from followup.domain.mailbox import MailSettings


class PostgresMailStore:
    def __init__(self, store: PostgresStore, box: SecretBox) -> None:
        self.store = store
        self.box = box

    def read(self) -> ServerMail:
        seeker = self.store.seeker
        with self.store.reading() as repo:
            settings = repo.load_mail_settings()
            timezone = repo.load_settings().timezone
            rows = repo.conn.execute(
                "SELECT kind, login, host FROM mail_secret WHERE seeker_id = %s", (seeker,)
            ).fetchall()
            row = repo.conn.execute(
                "SELECT digest_by_email FROM seeker WHERE id = %s", (seeker,)
            ).fetchone()
        passwords = {kind: (login, host) for kind, login, host in rows}
        return ServerMail(settings, passwords, bool(row and row[0]), timezone)

    def save(
        self, settings: MailSettings, passwords: Mapping[str, str | None], digest: bool
    ) -> None:
        seeker = self.store.seeker
        with self.store.writing() as repo:
            if settings != repo.load_mail_settings():
                repo.save_mail_settings(settings)
            for kind, password in passwords.items():
                if password is None:
                    repo.conn.execute(
                        "DELETE FROM mail_secret WHERE seeker_id = %s AND kind = %s",
                        (seeker, kind),
                    )
                    continue
                login = getattr(settings, f"{kind}_user") or ""
                host = getattr(settings, f"{kind}_host") or ""
                sealed = self.box.seal(Where(seeker, kind, login, host), password)
                repo.conn.execute(
                    "INSERT INTO mail_secret (seeker_id, kind, login, host, sealed)"
                    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (seeker_id, kind) DO UPDATE"
                    " SET login = excluded.login, host = excluded.host,"
                    " sealed = excluded.sealed, updated_at = now()",
                    (seeker, kind, login, host, sealed),
                )
            repo.conn.execute(
                "UPDATE seeker SET digest_by_email = %s WHERE id = %s", (digest, seeker)
            )
