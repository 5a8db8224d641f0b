"""A job search in the web app, in a real browser, as a user walks it (issue 3, "Tests").

Add an application, its interviewer, the interview and the debrief; see the thank-you on
Today, open its draft, mark it sent; a week on, make the call and record "no answer";
see the next call a week later; escalate to HR; give up. The steps are in ``walk.py``, shared
with the same walk on the server (``test_browser_server_walk.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import screenshot
from tests.e2e.walk import STEPS, Walker
from tests.web.acme import NOW as ACME_NOW
from tests.web.acme import two_at_acme
from tests.web_support import Site, free_port, serving

START = datetime(2026, 3, 2, 8, tzinfo=UTC)  # a Monday morning


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    s = Site(tmp_path / "walk.db", START, port=free_port())
    with serving(s) as url:
        yield s, url


def at(s: Site, when: str) -> None:
    """Move the server's clock (ISO 8601, UTC)."""
    s.clock.current = datetime.fromisoformat(when).replace(tzinfo=UTC)


def test_a_whole_follow_up_in_the_browser(site: tuple[Site, str], page: Page) -> None:
    s, url = site
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    console: list[str] = []  # a CSP violation shows here: the policy must not break the app
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    walker = Walker(page, url)
    for when, step in STEPS:
        at(s, when)
        step(walker)
    assert dialogs == []
    assert console == []


def test_forms_work_without_javascript(site: tuple[Site, str], page: Page) -> None:
    """With scripts off, a form posts and the page comes back (post/redirect/get)."""
    _, url = site
    page.context.close()
    context = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    nojs = context.new_page()
    nojs.goto(f"{url}/applications")
    form = nojs.locator("form[action='/applications']")
    form.get_by_label("Company").fill("Globex")
    form.get_by_label("Position").fill("Analyst")
    form.get_by_role("button", name="Add").click()
    expect(nojs).to_have_url(re.compile(r"/applications/globex-analyst$"))
    bad = nojs.locator("form[action$='/contacts']")
    bad.get_by_label("Name", exact=True).fill("Bruno")
    bad.get_by_label("Email", exact=True).fill("bruno@acme")  # the browser accepts it
    bad.get_by_role("button", name="Add the contact").click()
    expect(nojs.locator("form[action$='/contacts'] .error")).to_contain_text(
        "is not a valid email address"
    )
    expect(nojs.locator(".contacts")).to_contain_text("No contact yet.")
    context.close()


PAGES = [
    ("today", "/"),
    ("week", "/week"),
    ("applications", "/applications"),
    ("applications-table", "/applications?status=active"),
    ("application", "/applications/acme-backend"),
    ("settings", "/settings"),
    ("company", "/companies/acme"),
    ("history", "/history"),
    ("draft", "/actions/status:acme-data/draft"),
]


@pytest.fixture
def acme(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    s = Site(tmp_path / "acme.db", ACME_NOW, port=free_port())
    two_at_acme(s.db)
    with serving(s) as url:
        yield s, url


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_fits_the_screen(acme: tuple[Site, str], page: Page, width: int) -> None:
    """No page scrolls sideways on a phone (issue 8); screenshots at both widths."""
    _, url = acme
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in PAGES:
        page.goto(url + path)
        closed = page.locator("details:not([open]) > summary")
        for _ in range(closed.count()):
            closed.first.click()  # the forms, opened, must fit too
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{path} is {wide} px wide at {width} px"
        screenshot(page, f"fit-{width}-{name}")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_call_in_place_moves_the_other_acme_card(
    acme: tuple[Site, str], page: Page, width: int
) -> None:
    """R13 spaces follow-ups at one company: recording today's call at Acme (Data) moves the
    overdue Acme (Backend) card to This week, and its own next call out of the week (step 8),
    without reloading the page."""
    _, url = acme
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    overdue = page.locator("#section-overdue")
    expect(overdue.locator(".card")).to_have_count(1)
    other = page.locator("#card-status-acme-backend")
    expect(other.locator("time")).to_contain_text("Mon 23 Feb 2026")
    page.evaluate("window.notReloaded = true")
    page.locator("#card-status-acme-data").get_by_role("button", name="No answer").click()
    expect(page.locator("#notice")).to_contain_text("Recorded: status call to Bruno Reis")
    expect(overdue).to_have_count(0)
    coming = page.locator("#section-coming")
    expect(coming.locator("#card-status-acme-backend time")).to_have_text("Mon 9 Mar 2026")
    expect(page.locator("#card-status-acme-data")).to_have_count(0)  # Mon 16 Mar: next week
    assert page.evaluate("window.notReloaded") is True  # swapped in place (HTMX)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"in-place-{width}")

    # A refused value: the card alone comes back with its message, the rest untouched.
    card = page.locator("#card-status-acme-backend")
    card.get_by_label("Decision expected by").fill("someday")
    card.get_by_role("button", name="Reached").click()
    expect(page.locator("#card-status-acme-backend .error")).to_contain_text("is not a date")
    expect(page.locator("#notice")).to_contain_text("Recorded: status call to Bruno Reis")
