"""The Today page on a backlog (issue 12): a page of each section, then "Show more", which
adds the next page in place (HTMX) or, without JavaScript, opens it as a page of its own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from followup.entrypoints.web.rendering import dom_id
from tests.e2e.browser import screenshot
from tests.e2e.cli import User
from tests.e2e.test_cli_today_bounded import NOW, PAGE, build_backlog, whole
from tests.web_support import Site, free_port, serving


@pytest.fixture(scope="module")
def backlog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    db = tmp_path_factory.mktemp("today-pages") / "b.db"
    build_backlog(db)
    return db, whole(User(db, now=NOW))


@pytest.fixture
def site(backlog: tuple[Path, dict[str, list[str]]]) -> Iterator[str]:
    s = Site(backlog[0], datetime.fromisoformat(NOW), port=free_port())
    with serving(s) as url:
        yield url


def card_ids(page: Page, section: str) -> list[str]:
    found: list[str] = page.locator(f"#section-{section} article.card").evaluate_all(
        "cards => cards.map(c => c.id)"
    )
    return found


def test_show_more_adds_the_next_page_of_a_section_in_place(
    site: str, page: Page, backlog: tuple[Path, dict[str, list[str]]]
) -> None:
    expected = {key: [dom_id(i) for i in ids] for key, ids in backlog[1].items()}
    page.goto(site)
    for key, ids in expected.items():
        assert len(ids) > PAGE
        assert card_ids(page, key) == ids[:PAGE]  # the most urgent first
        count = page.locator(f"#section-{key} h2 .count")
        expect(count).to_have_text(f"{len(ids)}")
    overdue = page.locator("#section-overdue")
    more = overdue.get_by_role("link", name=f"Show {PAGE} more")
    expect(overdue.locator(".more .count")).to_have_text(
        f"{len(expected['overdue']) - PAGE} after these"
    )
    more.click()
    expect(overdue.locator("article.card")).to_have_count(2 * PAGE)
    assert card_ids(page, "overdue") == expected["overdue"][: 2 * PAGE]
    assert page.url.rstrip("/") == site  # no navigation: the cards came in place
    # The link moved below the new cards; the last page shows what is left, and no link.
    total, shown = len(expected["overdue"]), 2 * PAGE
    while shown < total:
        left = min(PAGE, total - shown)
        overdue.get_by_role("link", name=f"Show {left} more").click()
        shown += left
        expect(overdue.locator("article.card")).to_have_count(shown)
    expect(overdue.locator(".more")).to_have_count(0)
    assert card_ids(page, "overdue") == expected["overdue"]
    assert card_ids(page, "today") == expected["today"][:PAGE]  # the others did not move
    screenshot(page, "today-show-more")


def test_without_javascript_show_more_opens_the_next_page(
    site: str, browser: Browser, backlog: tuple[Path, dict[str, list[str]]]
) -> None:
    expected = [dom_id(i) for i in backlog[1]["coming"]]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site)
        page.locator("#section-coming").get_by_role("link", name=f"Show {PAGE} more").click()
        expect(page).to_have_url(f"{site}/today/coming?page=2")
        expect(page.locator("h1")).to_contain_text("This week")
        assert card_ids(page, "coming") == expected[PAGE : 2 * PAGE]
        page.get_by_role("link", name=re.compile(r"^Show \d+ more$")).click()
        expect(page).to_have_url(f"{site}/today/coming?page=3")
        assert card_ids(page, "coming") == expected[2 * PAGE : 3 * PAGE]
        page.get_by_role("link", name="Back to Today").click()
        expect(page).to_have_url(f"{site}/")  # on a loaded machine, read only once it is there
        expect(page.locator("h1")).to_contain_text("Today, ")
        assert card_ids(page, "coming") == expected[:PAGE]
    finally:
        context.close()
