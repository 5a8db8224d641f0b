"""The holiday cache in the database, written within whatever transaction is open."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date


class SqliteHolidayCache:
    def __init__(self, connection: Callable[[], sqlite3.Connection]) -> None:
        self._connection = connection

    def get(self, country: str, year: int) -> dict[date, str] | None:
        conn = self._connection()
        known = conn.execute(
            "SELECT 1 FROM holiday_year WHERE country = ? AND year = ?", (country, year)
        ).fetchone()
        if known is None:
            return None
        rows = conn.execute(
            "SELECT day, name FROM holiday WHERE country = ? AND day >= ? AND day <= ?",
            (country, f"{year:04d}-01-01", f"{year:04d}-12-31"),
        )
        return {date.fromisoformat(day): name for day, name in rows}

    def put(self, country: str, year: int, days: dict[date, str]) -> None:
        conn = self._connection()
        try:
            conn.executemany(
                "INSERT INTO holiday (country, day, name) VALUES (?, ?, ?)"
                " ON CONFLICT (country, day) DO NOTHING",
                [(country, day.isoformat(), name) for day, name in sorted(days.items())],
            )
            conn.execute(
                "INSERT INTO holiday_year (country, year) VALUES (?, ?)"
                " ON CONFLICT (country, year) DO NOTHING",
                (country, year),
            )
        except sqlite3.OperationalError:
            pass  # a read-only moment (another writer): the next write caches it

    def clear(self) -> None:
        conn = self._connection()
        conn.execute("DELETE FROM holiday")
        conn.execute("DELETE FROM holiday_year")
