"""The base of the repository's parts: one transaction's connection and its seeker.

Every query of every part names ``self.seeker``: a store is made for one seeker, and no
method can read or write another's rows (the schema's composite keys refuse a reference
across seekers as well, see ``migrations/0001_seekers_and_records.sql``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import psycopg

from followup.adapters.postgres.connection import run


class Owned:
    """Mixed into the repository with each part of it."""

    conn: psycopg.Connection[Any]
    seeker: int
    #: What a read-only transaction has read already and cannot change before its end
    #: (one snapshot, no write): asked again, it is answered without a query. ``None``
    #: in a transaction that may write, which remembers nothing this way.
    _memo: dict[object, Any] | None

    def _rows(self, sql: str, *args: object) -> list[Any]:
        """``sql`` with the seeker bound first (``%s`` after ``seeker_id =``), then ``args``."""
        rows: list[Any] = run(self.conn, sql, (self.seeker, *args)).fetchall()
        return rows

    def _one(self, sql: str, *args: object) -> Any:
        return run(self.conn, sql, (self.seeker, *args)).fetchone()


def utc(value: datetime) -> datetime:
    """An instant as read back: in UTC, as the local store gives it."""
    return value.astimezone(UTC)


def shown(value: datetime, minutes: int) -> datetime:
    """The instant stored, shown back with the offset it was given with."""
    return value.astimezone(UTC if minutes == 0 else timezone(timedelta(minutes=minutes)))
