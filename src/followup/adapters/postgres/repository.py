"""The PostgreSQL implementation of the repository port, one part per concept of the
port, as the local store's: each part holds its own SQL, and every query names the
seeker the repository was made for."""

from __future__ import annotations

from typing import Any

import psycopg

from followup.adapters.postgres.feed_digest import PostgresFeedAndDigest
from followup.adapters.postgres.figures import PostgresFigures
from followup.adapters.postgres.history import PostgresHistory
from followup.adapters.postgres.listings import PostgresListings
from followup.adapters.postgres.mail_state import PostgresMailState
from followup.adapters.postgres.records import PostgresRecords
from followup.adapters.postgres.settings import PostgresSettings
from followup.adapters.postgres.stored_plan import PostgresStoredPlan
from followup.adapters.postgres.stored_timings import PostgresStoredTimings


class PostgresRepository(
    PostgresSettings,
    PostgresRecords,
    PostgresListings,
    PostgresStoredPlan,
    PostgresStoredTimings,
    PostgresHistory,
    PostgresMailState,
    PostgresFeedAndDigest,
    PostgresFigures,
):
    """One transaction's view of one seeker's rows (the store begins and ends it)."""

    def __init__(
        self, conn: psycopg.Connection[Any], seeker: int, *, read_only: bool = False
    ) -> None:
        """``read_only``: the transaction writes nothing (``PostgresStore.reading``), so
        what it has read stays true to its end."""
        self.conn = conn
        self.seeker = seeker
        self._known = {}
        self._memo = {} if read_only else None
