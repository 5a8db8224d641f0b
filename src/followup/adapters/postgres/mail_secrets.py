"""A seeker's mail passwords in the server's database, sealed (``adapters.secret_box``).

Only the sealed token is written; the password is opened when a mail server asks for it,
and only for the login and host it was given for (a changed host needs the password
again, as the local keyring's entries are per login and host).
"""

from __future__ import annotations

from typing import Any

import psycopg

from followup.adapters.postgres.schema import connect, require_current
from followup.adapters.secret_box import SecretBox, Where


class PostgresMailSecrets:
    def __init__(self, url: str, seeker: int, box: SecretBox) -> None:
        self.url = url
        self.seeker = seeker
        self.box = box

    def _connect(self) -> psycopg.Connection[Any]:
        conn = connect(self.url)
        try:
            require_current(conn, self.url)
        except BaseException:
            conn.close()
            raise
        return conn

    def keep(self, kind: str, login: str, host: str, password: str) -> None:
        sealed = self.box.seal(Where(self.seeker, kind, login, host), password)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO mail_secret (seeker_id, kind, login, host, sealed)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (seeker_id, kind) DO UPDATE"
                " SET login = excluded.login, host = excluded.host, sealed = excluded.sealed,"
                " updated_at = now()",
                (self.seeker, kind, login, host, sealed),
            )

    def forget(self, kind: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM mail_secret WHERE seeker_id = %s AND kind = %s", (self.seeker, kind)
            )

    def password(self, kind: str, login: str, host: str) -> str | None:
        """The password for ``kind`` at ``login``/``host``; None when none was kept for them."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT sealed FROM mail_secret WHERE seeker_id = %s AND kind = %s"
                " AND login = %s AND host = %s",
                (self.seeker, kind, login, host),
            ).fetchone()
        if row is None:
            return None
        return self.box.open(Where(self.seeker, kind, login, host), row[0])


def reseal_all(url: str, box: SecretBox) -> int:
    """Re-seal every stored password with the current key, in one transaction (all or
    none); how many. Afterwards the old keys can be dropped."""
    with connect(url) as conn:
        require_current(conn, url)
        with conn.transaction():
            rows = conn.execute(
                "SELECT seeker_id, kind, sealed FROM mail_secret ORDER BY 1, 2 FOR UPDATE"
            ).fetchall()
            with conn.cursor() as c:
                c.executemany(
                    "UPDATE mail_secret SET sealed = %s WHERE seeker_id = %s AND kind = %s",
                    [(box.reseal(sealed), seeker, kind) for seeker, kind, sealed in rows],
                )
    return len(rows)


def seeker_of(url: str, email: str) -> int | None:
    """The seeker account of ``email`` (any case), if there is one and it is not disabled."""
    with connect(url) as conn:
        require_current(conn, url)
        row = conn.execute(
            "SELECT s.id FROM account AS a JOIN seeker AS s ON s.id = a.id"
            " WHERE a.email = lower(%s) AND a.disabled_at IS NULL",
            (email.strip(),),
        ).fetchone()
    return int(row[0]) if row else None
