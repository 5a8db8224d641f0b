"""Holidays are computed by the holidays package once per country and year, then cached."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import holidays

from followup import bootstrap
from followup.adapters.holidays import HolidaysPackage
from followup.adapters.sqlite.holiday_cache import SqliteHolidayCache
from followup.adapters.sqlite.store import SqliteStore
from followup.services import settings


def test_the_cache_holds_what_the_package_computes(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "h.db"))
    cache = SqliteHolidayCache(lambda: store.conn)
    with store.writing():
        days = HolidaysPackage(cache)("PT")
        assert date(2026, 6, 10) in days
    assert cache.get("PT", 2026) == dict(holidays.country_holidays("PT", years=2026).items())
    assert cache.get("PT", 2025) is None
    fresh = HolidaysPackage(cache)("PT")
    assert date(2026, 12, 25) in fresh
    assert date(2026, 12, 24) not in fresh
    cache.clear()
    assert cache.get("PT", 2026) is None
    store.close()


def _loads_holidays(db: str, *args: str) -> bool:
    """Whether a fresh process running ``followup ARGS`` imports the holidays package."""
    code = (
        "import sys\n"
        "from followup.entrypoints.cli import cli\n"
        f"try:\n    cli(['--db', {db!r}, *{list(args)!r}], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "print('holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_a_later_write_does_not_load_the_holidays_package(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    deps = bootstrap.build(db)
    settings.set_value(deps, "country", "PT")
    app = "acme-dev"
    now = "--now=2026-03-10T09:00:00+00:00"
    # R18 plans a follow-up on the application itself, on a business day: 2026 is needed
    assert _loads_holidays(db, "add", "Acme", "Dev", now)
    assert not _loads_holidays(db, "interview", app, "2026-03-02 10:00", now)  # cached
    assert not _loads_holidays(db, "log", app, "sent", "--thank-you", now)  # cached
    assert _loads_holidays(db, "interview", app, "2027-03-02 10:00", now)  # a new year
