"""Hostile text in every field, rendered by every page and fragment in Chromium: nothing runs.

Every text field of a job search holds all the payloads at once; each page is loaded,
and the fragments HTMX swaps in (the draft, a card after "mark sent", a form shown
again with its error) are triggered. No dialog may open, no element may carry an
event handler, the only scripts are the app's own two, and the text reads back as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect

from followup import bootstrap
from followup.domain.model import Outcome, Role
from followup.services import applications, contacts, interviews, settings, touches
from tests.e2e.browser import screenshot
from tests.web_support import Site, free_port, serving

PAYLOADS = [
    '<script>alert("x1")</script>',
    '"><img src=x onerror=alert("x2")>',
    "'><svg onload=alert('x3')>",
    "{{7*7}}",
    '</textarea><script>alert("x5")</script>',
    "<a href=\"javascript:alert('x6')\">x6</a>",
    "${alert('x7')}",
]
EVIL = " ".join(PAYLOADS)
NOW = datetime(2026, 3, 6, 9, tzinfo=UTC)

HANDLERS = """() => [...document.querySelectorAll('*')]
    .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length"""
SCRIPTS = "() => [...document.scripts].map(s => s.getAttribute('src'))"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, str, str]]:
    s = Site(tmp_path / "xss.db", NOW, port=free_port())
    deps = bootstrap.build(str(s.db), clock=s.clock)
    app = applications.add_application(
        deps,
        EVIL,
        EVIL,
        source=EVIL,
        notes=EVIL,
        link="https://example.com/?q=" + EVIL.replace(" ", "+"),
        now=NOW,
    ).application
    contacts.add_contact(
        deps,
        app.id,
        contacts.ContactInput(
            EVIL, Role.INTERVIEWER, "ana@acme.example", "+351 912 345 678", False
        ),
        now=NOW,
    )
    contact = applications.get_application(deps, app.id, NOW).application.contacts[0].id
    interviews.record_interview(
        deps,
        app.id,
        interviews.InterviewInput(
            at=NOW - timedelta(days=4), interviewers=(contact,), direct_contact_ok=True
        ),
        now=NOW,
    )
    touches.log_touch(deps, app.id, touches.TouchInput(Outcome.REPLIED, vacancies=EVIL), now=NOW)
    settings.set_value(deps, "name", EVIL, now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    with serving(s) as url:
        yield s, url, app.id


def assert_inert(page: Page, where: str) -> None:
    assert page.evaluate(HANDLERS) == 0, where
    assert page.evaluate(SCRIPTS) == ["/static/htmx.min.js", "/static/app.js"], where
    html = page.content()
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where
    assert "<svg onload" not in html, where


def test_hostile_text_is_only_ever_text(site: tuple[Site, str, str], page: Page) -> None:
    _, url, app_id = site
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    for path in ["/", "/week", "/applications", f"/applications/{app_id}", "/settings",
                 f"/applications?q={EVIL}"]:  # fmt: skip
        page.goto(url + path if "?" not in path else f"{url}/applications", wait_until="load")
        if "?" in path:
            page.get_by_label("Search").fill(EVIL)
            page.get_by_role("button", name="Find").click()
            expect(page.get_by_label("Search")).to_have_value(EVIL)
        assert_inert(page, path)
    page.goto(f"{url}/applications/{app_id}")
    expect(page.locator("h1")).to_contain_text(PAYLOADS[0])  # shown as typed
    expect(page.locator(".contacts")).to_contain_text("{{7*7}}")
    expect(page.get_by_role("link", name="the ad")).to_have_attribute(
        "href", re.compile(r"^https://example\.com/")
    )

    # The draft fragment (HTMX), then the page made again once the thank-you is sent.
    page.goto(url)
    card = page.locator(".card.thank_you_email")
    card.locator("details.draft summary").click()
    expect(card.locator("textarea")).to_have_value(re.compile("Dear "))
    assert EVIL in card.locator("textarea").input_value()
    assert_inert(page, "draft fragment")
    screenshot(page, "4-xss-draft")
    card.get_by_role("button", name="Mark sent").click()
    expect(page.locator("#notice")).to_contain_text("Recorded: thank-you email to")
    assert_inert(page, "page made again in place")

    # The draft page, and a form shown again with its error and the hostile value.
    page.goto(f"{url}/actions/status:{app_id}/draft")
    assert_inert(page, "draft page")
    page.goto(f"{url}/applications/{app_id}")
    page.locator("#add-contact summary").click()
    form = page.locator("form[action$='/contacts']")
    form.get_by_label("Name", exact=True).fill(EVIL)
    form.get_by_label("Email", exact=True).fill("bad@acme")
    form.get_by_role("button", name="Add the contact").click()
    expect(page.locator("form[action$='/contacts'] .error")).to_be_visible()
    expect(
        page.locator("form[action$='/contacts']").get_by_label("Name", exact=True)
    ).to_have_value(EVIL)
    assert_inert(page, "form shown again")

    assert dialogs == []
