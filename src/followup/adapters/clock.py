"""The only place that reads the system clock and the system time zone."""

from __future__ import annotations

import os
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """``--now``: every command that depends on the date can be replayed at any instant."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


def system_timezone() -> str:
    """The machine's IANA zone name, used once as the default of a new database."""
    from zoneinfo import available_timezones  # noqa: PLC0415

    candidates = []
    if tz := os.environ.get("TZ", "").lstrip(":"):
        candidates.append(tz)
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as f:
            candidates.append(f.read().strip())
    except OSError:
        pass
    known = available_timezones()
    for name in candidates:
        if name in known:
            return name
    return "UTC"
