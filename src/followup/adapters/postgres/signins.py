"""Sessions, API tokens, invitations and failed sign-ins in PostgreSQL (migration 0003).

Each call is one short transaction on a connection borrowed from the web server's pool,
or (the command line) on a connection of its own.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import psycopg

from followup.adapters.postgres.accounts import _ACCOUNT, _account
from followup.adapters.postgres.connection import run
from followup.adapters.postgres.owned import utc
from followup.adapters.postgres.schema import connection
from followup.adapters.postgres.settings import SETTINGS_COLUMN, SessionRead
from followup.domain.accounts import Account, ApiToken

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

_ENABLED = " AND a.disabled_at IS NULL"
_A = (
    "SELECT a.id, a.email, a.role, a.created_at, a.disabled_at, a.password_hash IS NOT NULL"
    " FROM account"
)
#: :data:`_A`, the seeker's change counter (``PostgresStore.change_token``) and settings.
_AK = (
    "SELECT a.id, a.email, a.role, a.created_at, a.disabled_at, a.password_hash IS NOT NULL,"
    f" k.changes, {SETTINGS_COLUMN} FROM account"
)


class PostgresSignIns:
    def __init__(
        self, url: str, pool: ConnectionPool[psycopg.Connection[Any]] | None = None
    ) -> None:
        self.url = url
        self.pool = pool

    def _conn(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        return connection(self.url, self.pool)

    def _one(self, sql: str, *args: object) -> Any:
        """The first row; ``args``: the parameters, or one dict of named ones."""
        params = args[0] if len(args) == 1 and isinstance(args[0], dict) else args
        with self._conn() as conn:
            return run(conn, sql, params).fetchone()

    def _run(self, sql: str, *args: object) -> int:
        with self._conn() as conn:
            return int(run(conn, sql, args).rowcount)

    def credentials(self, email: str) -> tuple[Account, str | None] | None:
        row = self._one(
            "SELECT id, email, role, created_at, disabled_at, password_hash IS NOT NULL,"
            " password_hash FROM account WHERE email = %s",
            email,
        )
        return (_account(row), row[6]) if row else None

    def failures(self, email: str, address: str, since: datetime) -> tuple[int, int]:
        row = self._one(
            "SELECT (SELECT count(*) FROM signin_failure WHERE email = %s AND at >= %s),"
            " (SELECT count(*) FROM signin_failure WHERE address = %s AND at >= %s)",
            email,
            since,
            address,
            since,
        )
        return int(row[0]), int(row[1])

    def add_failure(self, email: str, address: str, at: datetime) -> None:
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO signin_failure (at, email, address) VALUES (%s, %s, %s)",
                (at, email, address),
            )
            # Old attempts no longer count: keep the table small.
            conn.execute("DELETE FROM signin_failure WHERE at < %s - interval '1 day'", (at,))

    def start_session(
        self, account_id: int, id_sha256: str, now: datetime, expires: datetime
    ) -> None:
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO web_session (id_sha256, account_id, created_at, expires_at)"
                " VALUES (%s, %s, %s, %s)",
                (id_sha256, account_id, now, expires),
            )
            conn.execute("DELETE FROM web_session WHERE expires_at < %s", (now,))

    def session_account(self, id_sha256: str, now: datetime) -> Account | None:
        row = self._one(
            _A + " a JOIN web_session s ON s.account_id = a.id"
            " WHERE s.id_sha256 = %s AND s.expires_at > %s" + _ENABLED,
            id_sha256,
            now,
        )
        return _account(row) if row else None

    def session(self, id_sha256: str, now: datetime) -> tuple[Account, object] | None:
        row = self._one(
            _AK + " a JOIN web_session s ON s.account_id = a.id"
            " LEFT JOIN seeker k ON k.id = a.id"
            " WHERE s.id_sha256 = %s AND s.expires_at > %s" + _ENABLED,
            id_sha256,
            now,
        )
        if not row:
            return None
        if row[6] is None:  # no search of its own (a coach, an admin)
            return _account(row), None
        return _account(row), SessionRead(row[6], [(k, v) for k, v in row[7] or ()])

    def end_session(self, id_sha256: str) -> None:
        self._run("DELETE FROM web_session WHERE id_sha256 = %s", id_sha256)

    def end_sessions(self, account_id: int) -> int:
        return self._run("DELETE FROM web_session WHERE account_id = %s", account_id)

    def add_token(self, account_id: int, token_sha256: str, now: datetime) -> int:
        row = self._one(
            "INSERT INTO api_token (account_id, token_sha256, created_at) VALUES (%s, %s, %s)"
            " RETURNING id",
            account_id,
            token_sha256,
            now,
        )
        return int(row[0])

    def token_account(self, token_sha256: str, now: datetime) -> Account | None:
        """The token's account; its last use noted once a minute, the precision Settings
        shows it to (a token used at every request of a script would otherwise rewrite
        its row each time: a write, and a dead row to vacuum, per request).

        A plain read, and the write only in the request that starts a new minute: one
        statement that always tried the update (a data-modifying ``WITH``) cost
        PostgreSQL several times the read at every API request."""
        row = self._one(
            "SELECT a.id, a.email, a.role, a.created_at, a.disabled_at,"
            " a.password_hash IS NOT NULL, t.id, t.last_used_at"
            " FROM api_token t JOIN account a ON a.id = t.account_id"
            " WHERE t.token_sha256 = %s AND t.revoked_at IS NULL" + _ENABLED,
            token_sha256,
        )
        if row is None:
            return None
        if row[7] is None or _minute(utc(row[7])) < _minute(now):
            self._run(
                "UPDATE api_token SET last_used_at = %s WHERE id = %s"
                " AND (last_used_at IS NULL OR date_trunc('minute', last_used_at)"
                " < date_trunc('minute', %s))",
                now,
                row[6],
                now,
            )
        return _account(row)

    def tokens(self, account_id: int) -> list[ApiToken]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT id, created_at, last_used_at, revoked_at FROM api_token"
                " WHERE account_id = %s ORDER BY id",
                (account_id,),
            ).fetchall()
        return [
            ApiToken(int(r[0]), utc(r[1]), utc(r[2]) if r[2] else None, utc(r[3]) if r[3] else None)
            for r in rows
        ]

    def revoke_token(self, account_id: int, token_id: int, now: datetime) -> bool:
        return (
            self._run(
                "UPDATE api_token SET revoked_at = coalesce(revoked_at, %s)"
                " WHERE id = %s AND account_id = %s",
                now,
                token_id,
                account_id,
            )
            > 0
        )

    def add_invitation(
        self, account_id: int, token_sha256: str, now: datetime, expires: datetime
    ) -> None:
        self._run(
            "INSERT INTO invitation (token_sha256, account_id, created_at, expires_at)"
            " VALUES (%s, %s, %s, %s)",
            token_sha256,
            account_id,
            now,
            expires,
        )

    def invited(self, token_sha256: str, now: datetime) -> Account | None:
        row = self._one(
            _A + " a JOIN invitation i ON i.account_id = a.id WHERE i.token_sha256 = %s"
            " AND i.used_at IS NULL AND i.expires_at > %s" + _ENABLED,
            token_sha256,
            now,
        )
        return _account(row) if row else None

    def accept_invitation(
        self, token_sha256: str, password_hash: str, now: datetime
    ) -> Account | None:
        with self._conn() as conn, conn.transaction():
            row = conn.execute(
                "UPDATE invitation i SET used_at = %s FROM account a"
                " WHERE i.token_sha256 = %s AND i.used_at IS NULL AND i.expires_at > %s"
                " AND a.id = i.account_id" + _ENABLED + " RETURNING a.id",
                (now, token_sha256, now),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE account SET password_hash = %s WHERE id = %s", (password_hash, row[0])
            )
            return _account(conn.execute(_ACCOUNT + " WHERE id = %s", (row[0],)).fetchone())

    def set_password(self, account_id: int, password_hash: str) -> None:
        self._run("UPDATE account SET password_hash = %s WHERE id = %s", password_hash, account_id)

    def feed_seeker(self, token_sha256: str) -> int | None:
        row = self._one(
            "SELECT f.seeker_id FROM calendar_feed f JOIN account a ON a.id = f.seeker_id"
            " WHERE f.token_sha256 = %s" + _ENABLED,
            token_sha256,
        )
        return int(row[0]) if row else None


def _minute(at: datetime) -> datetime:
    """The minute an instant falls in (in UTC), as ``date_trunc('minute', ...)`` gives it."""
    return at.astimezone(UTC).replace(second=0, microsecond=0)
