"""What the worker asks of the server's database across seekers: who wants a digest
(with their time zone), whose mail to read, and a seeker's digest deliveries.

These queries name no seeker's records, only the flags and settings that say which jobs
to queue; the jobs themselves run on one seeker's store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followup.adapters.postgres.schema import connect, require_current
from followup.domain.digest import Delivery


def seeker_lock(seeker: int) -> str:
    """The lock the jobs of one seeker share, so that they run one at a time (and an
    erased account's waiting jobs are found)."""
    return f"seeker:{seeker}"


@dataclass(frozen=True, slots=True)
class DigestReader:
    seeker: int
    timezone: str
    last_day: date | None  # the last local day a delivery was begun


class PostgresSchedule:
    def __init__(self, url: str) -> None:
        self.url = url

    def check(self) -> None:
        with connect(self.url) as conn:
            require_current(conn, self.url)

    def digest_readers(self) -> list[DigestReader]:
        """Active seekers who asked for the digest by email."""
        with connect(self.url) as conn:
            rows = conn.execute(
                "SELECT s.id, tz.value,"
                " (SELECT max(d.day) FROM digest_delivery AS d WHERE d.seeker_id = s.id)"
                " FROM seeker AS s JOIN account AS a ON a.id = s.id"
                " LEFT JOIN setting AS tz ON tz.seeker_id = s.id AND tz.key = 'timezone'"
                " WHERE s.digest_by_email AND a.disabled_at IS NULL ORDER BY s.id"
            ).fetchall()
        return [DigestReader(r[0], json.loads(r[1]) if r[1] else "UTC", r[2]) for r in rows]

    def mail_readers(self, retry_for: timedelta) -> list[int]:
        """Active seekers with a mailbox to read (an IMAP password kept), or a message that
        could not go out within ``retry_for``."""
        with connect(self.url) as conn:
            rows = conn.execute(
                "SELECT s.id FROM seeker AS s JOIN account AS a ON a.id = s.id"
                " WHERE a.disabled_at IS NULL AND (EXISTS (SELECT 1 FROM mail_secret AS m"
                "   WHERE m.seeker_id = s.id AND m.kind = 'imap')"
                " OR EXISTS (SELECT 1 FROM outbox AS o WHERE o.seeker_id = s.id"
                "   AND o.state = 'failed' AND o.created_at > now() - %s))"
                " ORDER BY s.id",
                (retry_for,),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def queued(self, locks: Iterable[str]) -> set[str]:
        """Which of these queueing locks a job already had (whatever became of it)."""
        with connect(self.url) as conn:
            rows = conn.execute(
                "SELECT DISTINCT queueing_lock FROM procrastinate_jobs"
                " WHERE queueing_lock = ANY(%s)",
                (list(locks),),
            ).fetchall()
        return {r[0] for r in rows}

    def set_digest(self, seeker: int, wanted: bool) -> None:
        with connect(self.url) as conn:
            conn.execute("UPDATE seeker SET digest_by_email = %s WHERE id = %s", (wanted, seeker))


class PostgresDigestDeliveries:
    """One seeker's rows of ``digest_delivery``; each call commits at once."""

    def __init__(self, url: str, seeker: int) -> None:
        self.url = url
        self.seeker = seeker

    def begin(self, day: date, now: datetime) -> Delivery | None:
        with connect(self.url) as conn:
            begun = conn.execute(
                "INSERT INTO digest_delivery (seeker_id, day, state, started_at)"
                " VALUES (%s, %s, 'sending', %s) ON CONFLICT DO NOTHING RETURNING 1",
                (self.seeker, day, now),
            ).fetchone()
            if begun is not None:
                return None
            row = conn.execute(
                "SELECT state FROM digest_delivery WHERE seeker_id = %s AND day = %s",
                (self.seeker, day),
            ).fetchone()
        return Delivery(row[0]) if row else None

    def finish(self, day: date, state: Delivery, now: datetime) -> None:
        with connect(self.url) as conn:
            conn.execute(
                "UPDATE digest_delivery SET state = %s, finished_at = %s"
                " WHERE seeker_id = %s AND day = %s",
                (state.value, now, self.seeker, day),
            )

    def forget(self, day: date) -> None:
        with connect(self.url) as conn:
            conn.execute(
                "DELETE FROM digest_delivery WHERE seeker_id = %s AND day = %s"
                " AND state = 'sending'",
                (self.seeker, day),
            )
