"""The web server's pool of connections (``bootstrap.server_gate``), one per worker process.

A connection is checked (one round trip) when it is taken from the pool only if it has
lain unused for more than :data:`CHECK_AFTER_SECONDS`: one taken again within that time
was working a moment ago. Checking every time cost a round trip per transaction, five or
six per page (measured in ``make bench``'s server part). A connection that broke in that
moment (the database restarted) fails the request that takes it, once, with the "connection
lost" error (503), and the pool drops it; the next request gets a new one.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from followup.adapters.postgres.connection import Connection
from followup.adapters.postgres.schema import CONNECT_TIMEOUT_SECONDS

CHECK_AFTER_SECONDS = 5.0


def open_pool(url: str, size: int) -> ConnectionPool[psycopg.Connection[Any]]:
    """An open pool of up to ``size`` autocommit connections in UTC (transactions are
    begun explicitly by the store)."""
    last_used: weakref.WeakKeyDictionary[psycopg.Connection[Any], float]
    last_used = weakref.WeakKeyDictionary()

    def check(conn: psycopg.Connection[Any]) -> None:
        if time.monotonic() - last_used.get(conn, 0.0) > CHECK_AFTER_SECONDS:
            ConnectionPool.check_connection(conn)

    def given_back(conn: psycopg.Connection[Any]) -> None:
        last_used[conn] = time.monotonic()

    return ConnectionPool(
        url,
        connection_class=Connection,  # each keeps a cursor (``connection.run``)
        min_size=1,
        max_size=size,
        kwargs={
            "autocommit": True,
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "options": "-c TimeZone=UTC",
            "application_name": "followup",
        },
        check=check,
        reset=given_back,
        timeout=30,
        open=True,
    )
