"""The Insights page in a real Chromium (issue 14): at desktop and phone width, printed,
and empty. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import screenshot
from tests.insights_support import NOW, saved
from tests.web_support import Site, free_port, serving


@pytest.fixture
def search(tmp_path: Path) -> Iterator[str]:
    s = Site(tmp_path / "insights.db", NOW, port=free_port())
    saved(s.db)
    with serving(s) as url:
        yield url


def fits(page: Page, width: int) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_charts_and_their_numbers(search: str, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(search)
    page.get_by_role("link", name="Insights").click()
    expect(page.locator("h1")).to_contain_text("all applications")
    funnel = page.get_by_role("img", name="The funnel")
    expect(funnel).to_be_visible()
    box = funnel.bounding_box()
    assert box is not None
    assert box["width"] <= width
    assert box["height"] > 60  # drawn, not collapsed
    expect(page.get_by_role("img")).to_have_count(4)
    rates = page.locator("dl.rates")
    expect(rates).to_contain_text("67% (4 of 6)")
    expect(page.get_by_role("table", name="The funnel in numbers")).to_contain_text("answered")
    # A bar of the funnel is as long as its share: answered is 4/6 of applications.
    widths = page.locator("#funnel-h ~ svg rect").evaluate_all(
        "rs => rs.map(r => r.getBoundingClientRect().width)"
    )
    assert widths[1] == pytest.approx(widths[0] * 4 / 6, rel=0.02)
    fits(page, width)
    screenshot(page, f"insights-{width}")

    page.get_by_label("From (added on or after)").fill("2026-03-03")
    page.get_by_label("To (added on or before)").fill("2026-03-16")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_contain_text("from Tue 3 Mar 2026 to Mon 16 Mar 2026")
    expect(rates).to_contain_text("75% (3 of 4)")
    fits(page, width)
    screenshot(page, f"insights-{width}-period")


def test_it_prints_without_the_navigation(search: str, page: Page) -> None:
    page.goto(f"{search}/insights")
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("form.period")).to_be_hidden()
    expect(page.get_by_role("img", name="The funnel")).to_be_visible()
    screenshot(page, "insights-print")
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("width", [390, 1280])
def test_an_empty_database(tmp_path: Path, page: Page, width: int) -> None:
    s = Site(tmp_path / "empty.db", NOW, port=free_port())
    with serving(s) as url:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/insights")
        expect(page.get_by_role("heading", name="Nothing to count yet")).to_be_visible()
        expect(page.get_by_role("img")).to_have_count(0)
        fits(page, width)
        screenshot(page, f"insights-{width}-empty")
