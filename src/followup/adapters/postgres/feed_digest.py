"""The seeker's calendar feed (one at most) and the digest's memory (one row)."""

from __future__ import annotations

import json
from datetime import date

from followup.adapters.postgres.owned import Owned, utc
from followup.domain.agenda import Detail, Feed
from followup.domain.digest import DigestState


class PostgresFeedAndDigest(Owned):
    def feed(self) -> Feed | None:
        row = self._one(
            "SELECT token_sha256, notes, phones, created_at FROM calendar_feed WHERE seeker_id = %s"
        )
        if row is None:
            return None
        return Feed(row[0], Detail(row[1], row[2]), utc(row[3]))

    def set_feed(self, feed: Feed | None) -> None:
        self.conn.execute("DELETE FROM calendar_feed WHERE seeker_id = %s", (self.seeker,))
        if feed is not None:
            self.conn.execute(
                "INSERT INTO calendar_feed (seeker_id, token_sha256, notes, phones, created_at)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    self.seeker,
                    feed.token_sha256,
                    feed.detail.notes,
                    feed.detail.phones,
                    feed.created_at,
                ),
            )

    def digest_state(self) -> DigestState | None:
        row = self._one("SELECT made_at, seen, sent_on FROM digest WHERE seeker_id = %s")
        if row is None:
            return None
        seen = frozenset((i, date.fromisoformat(d)) for i, d in json.loads(row[1]))
        return DigestState(utc(row[0]), seen, row[2])

    def save_digest_state(self, state: DigestState) -> None:
        seen = json.dumps(sorted([i, d.isoformat()] for i, d in state.seen))
        self._one(
            "INSERT INTO digest (seeker_id, made_at, seen, sent_on) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (seeker_id) DO UPDATE SET made_at = excluded.made_at,"
            " seen = excluded.seen, sent_on = excluded.sent_on RETURNING seeker_id",
            state.made_at,
            seen,
            state.sent_on,
        )
