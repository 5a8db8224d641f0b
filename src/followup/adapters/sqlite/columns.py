"""How values are written into columns, shared by the store's modules."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(moment: datetime) -> str:
    """UTC, fixed width: text order is time order, in SQL too."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
