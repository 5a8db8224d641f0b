"""The server's accounts in PostgreSQL: one transaction per call.

Adding a seeker adds its ``seeker`` row in the same transaction, so that a seeker account
always owns a search (and no other account can, see migration 0001).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
from psycopg import errors

from followup.adapters.postgres.owned import utc
from followup.adapters.postgres.schedule import seeker_lock
from followup.adapters.postgres.schema import connect, require_current
from followup.domain.accounts import Account, AccountRole
from followup.errors import Refused

_ACCOUNT = "SELECT id, email, role, created_at, disabled_at, password_hash IS NOT NULL FROM account"


class PostgresAccounts:
    def __init__(self, url: str) -> None:
        self.url = url

    def _connect(self) -> psycopg.Connection[Any]:
        conn = connect(self.url)
        try:
            require_current(conn, self.url)
        except BaseException:
            conn.close()
            raise
        return conn

    def add_account(
        self, email: str, role: AccountRole, password_hash: str | None, now: datetime
    ) -> Account:
        with self._connect() as conn:
            try:
                with conn.transaction():
                    row = conn.execute(
                        "INSERT INTO account (email, role, created_at, password_hash)"
                        " VALUES (%s, %s, %s, %s) RETURNING id",
                        (email, role.value, now, password_hash),
                    ).fetchone()
                    assert row is not None
                    if role is AccountRole.SEEKER:
                        conn.execute("INSERT INTO seeker (id) VALUES (%s)", (row[0],))
            except errors.UniqueViolation:
                raise Refused(f"{email}: already has an account") from None
            return _account(conn.execute(_ACCOUNT + " WHERE id = %s", (row[0],)).fetchone())

    def accounts(self) -> list[Account]:
        with self._connect() as conn:
            return [_account(r) for r in conn.execute(_ACCOUNT + " ORDER BY id").fetchall()]

    def disable_account(self, email: str, now: datetime) -> Account | None:
        with self._connect() as conn:
            conn.execute(
                "UPDATE account SET disabled_at = %s WHERE email = %s AND disabled_at IS NULL",
                (now, email),
            )
            row = conn.execute(_ACCOUNT + " WHERE email = %s", (email,)).fetchone()
            return _account(row) if row else None

    def enable_account(self, email: str) -> Account | None:
        with self._connect() as conn:
            conn.execute("UPDATE account SET disabled_at = NULL WHERE email = %s", (email,))
            row = conn.execute(_ACCOUNT + " WHERE email = %s", (email,)).fetchone()
            return _account(row) if row else None

    def delete_account(self, email: str) -> Account | None:
        """The references of migrations 0001-0008 cascade from ``account`` (a seeker's
        search and all its rows, sessions, tokens, invitations, shares; a coach's looks
        keep their email); the job queue and the failed sign-ins are not tied to it, so
        they are cleared here, in the same transaction."""
        with self._connect() as conn, conn.transaction():
            row = conn.execute(_ACCOUNT + " WHERE email = %s FOR UPDATE", (email,)).fetchone()
            if row is None:
                return None
            account = _account(row)
            conn.execute(
                "DELETE FROM procrastinate_jobs WHERE lock = %s AND status = 'todo'",
                (seeker_lock(account.id),),
            )
            conn.execute("DELETE FROM signin_failure WHERE email = %s", (email,))
            conn.execute("DELETE FROM account WHERE id = %s", (account.id,))
            return account


def _account(row: Any) -> Account:
    return Account(
        id=int(row[0]),
        email=row[1],
        role=AccountRole(row[2]),
        created_at=utc(row[3]),
        disabled_at=utc(row[4]) if row[4] else None,
        has_password=bool(row[5]),
    )
