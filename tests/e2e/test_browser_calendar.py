"""Subscribing to the calendar from Settings, in a real browser (issue 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.agenda_support import NOW, job_search
from tests.e2e.browser import screenshot
from tests.web_support import Site, free_port, serving


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    job_search(tmp_path / "cal.db").store.close()  # type: ignore[attr-defined]
    s = Site(tmp_path / "cal.db", NOW, port=free_port())
    with serving(s) as url:
        yield s, url


def test_make_a_feed_subscribe_and_rotate(site: tuple[Site, str], page: Page) -> None:
    _, url = site
    page.goto(f"{url}/week")
    page.get_by_role("link", name="or subscribe to it").click()
    calendar = page.locator("#calendar")
    expect(calendar).to_contain_text("No feed yet.")
    calendar.get_by_label("the phone number to call").check()
    calendar.get_by_role("button", name="Make a feed address").click()
    address = page.get_by_label("Feed address")
    first = address.input_value()
    assert first.startswith(f"{url}/calendar/")
    screenshot(page, "4-calendar-feed")
    feed = page.request.get(first)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "Phone: +351 912 345 678" in feed.text().replace("\r\n ", "")

    page.goto(f"{url}/settings")
    expect(page.locator("#calendar")).to_contain_text("A feed exists since Wed 25 Mar 2026")
    assert first not in page.content()  # shown once: it is not stored
    page.get_by_role("button", name="Make a new address (the old one stops working)").click()
    second = page.get_by_label("Feed address").input_value()
    assert second != first
    assert page.request.get(first).status == 404
    assert page.request.get(second).status == 200
    page.get_by_role("button", name="Turn the feed off").click()
    expect(page.locator("#calendar")).to_contain_text("No feed yet.")
    assert page.request.get(second).status == 404
