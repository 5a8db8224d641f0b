"""A real Chromium driven by Playwright, for the web app's end-to-end tests.

The system's Chromium is used (Debian's ``chromium`` package), never a downloaded one.
Without it the tests are skipped with the way to install it, except under CI, where a
missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    return (
        os.environ.get("FOLLOWUP_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        reason = "needs Chromium: sudo apt-get install chromium (or set FOLLOWUP_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    return path


def screenshot(page: Page, name: str) -> None:
    """Kept as a test artifact (test-artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
