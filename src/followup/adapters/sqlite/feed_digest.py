"""The calendar feed (one row at most) and the digest's memory (one row)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

from followup.adapters.sqlite.batched import Batched
from followup.adapters.sqlite.columns import day_of, iso_day, ts

if TYPE_CHECKING:  # loaded by the commands that use them, not by every repository
    from followup.domain.agenda import Feed
    from followup.domain.digest import DigestState


class SqliteFeedAndDigest(Batched):
    """Mixed into the repository; works on its connection."""

    def feed(self) -> Feed | None:
        row = self.conn.execute(
            "SELECT token_sha256, notes, phones, created_at FROM calendar_feed WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        from followup.domain.agenda import Detail, Feed  # noqa: PLC0415

        return Feed(row[0], Detail(bool(row[1]), bool(row[2])), datetime.fromisoformat(row[3]))

    def set_feed(self, feed: Feed | None) -> None:
        self.conn.execute("DELETE FROM calendar_feed")
        if feed is not None:
            self.conn.execute(
                "INSERT INTO calendar_feed (id, token_sha256, notes, phones, created_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (
                    feed.token_sha256,
                    int(feed.detail.notes),
                    int(feed.detail.phones),
                    ts(feed.created_at),
                ),
            )

    def digest_state(self) -> DigestState | None:
        row = self.conn.execute("SELECT made_at, seen, sent_on FROM digest WHERE id = 1").fetchone()
        if row is None:
            return None
        from followup.domain.digest import DigestState  # noqa: PLC0415

        seen = frozenset((i, date.fromisoformat(d)) for i, d in json.loads(row[1]))
        return DigestState(datetime.fromisoformat(row[0]), seen, day_of(row[2]))

    def save_digest_state(self, state: DigestState) -> None:
        seen = json.dumps(sorted([i, d.isoformat()] for i, d in state.seen))
        self.conn.execute(
            "INSERT INTO digest (id, made_at, seen, sent_on) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET made_at = excluded.made_at, seen = excluded.seen,"
            " sent_on = excluded.sent_on",
            (ts(state.made_at), seen, iso_day(state.sent_on)),
        )
