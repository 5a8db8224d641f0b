"""Correcting records in a real browser, as the issue asks (issue 8, "Tests").

Two applications at Acme, one of them entered as "Acmme". Correct the company (a wrong
date first: refused beside its field, what was typed kept), reschedule an interview,
record a call on Today, delete it as a wrong touch, see the other Acme card move back,
undo the deletion from the page and see the call, and the other card's date, return.
Screenshots at desktop and phone width go to test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from followup import bootstrap
from followup.services import corrections
from tests.e2e.browser import screenshot
from tests.web.acme import NOW, two_at_acme
from tests.web_support import Site, free_port, serving


@pytest.fixture
def mistyped(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    s = Site(tmp_path / "acme.db", NOW, port=free_port())
    two_at_acme(s.db)
    deps = bootstrap.build(str(s.db), clock=s.clock)
    corrections.edit_application(deps, "acme-data", corrections.ApplicationEdit(company="Acmme"))
    deps.store.close()  # type: ignore[attr-defined]
    with serving(s) as url:
        yield s, url


POSTING = (
    "Data Engineer (m/f)\nLisbon or remote\n\nPipelines in Python and SQL for payments.\n"
    "Apply at https://jobs.acme.example/careers/data-engineering/2026/lisbon-or-remote?ref=board\n"
)


def fits(page: Page, width: int, name: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px ({name})"
    screenshot(page, f"corrections-{width}-{name}")


@pytest.mark.parametrize("width", [390, 1280])
def test_correct_reschedule_delete_and_undo(
    mistyped: tuple[Site, str], page: Page, width: int
) -> None:
    _, url = mistyped
    page.set_viewport_size({"width": width, "height": 900})
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)

    # The mistyped company: a wrong date first, refused beside its field, nothing lost.
    page.goto(f"{url}/applications/acme-data")
    expect(page.locator("h1")).to_contain_text("Acmme")
    edit = page.locator("#edit-application")
    edit.locator("summary").click()
    edit.get_by_label("Company").fill("Acme")
    edit.get_by_label("Applied on").fill("31 Feb")
    edit.get_by_role("button", name="Save the application").click()
    expect(edit).to_have_attribute("open", "")
    expect(edit.locator(".error")).to_contain_text("31 Feb")
    expect(edit.get_by_label("Company")).to_have_value("Acme")  # what was typed is kept
    expect(page.locator("h1")).to_contain_text("Acmme")  # nothing was saved
    fits(page, width, "1-refused")
    edit.get_by_label("Applied on").fill("Mon 2 Feb 2026")
    edit.get_by_label("The job posting").fill(POSTING)
    edit.get_by_role("button", name="Save the application").click()
    expect(page.locator(".flash")).to_contain_text("Saved:")
    expect(page.locator("h1")).to_contain_text("Acme")
    posting = page.locator("details#posting")  # the ad, folded under the title
    expect(posting.locator("summary")).to_contain_text("Data Engineer (m/f) · Lisbon or remote")
    expect(posting.locator(".posting-text")).not_to_be_visible()
    posting.locator("summary").click()
    expect(posting.locator(".posting-text")).to_contain_text("Apply at https://")
    fits(page, width, "1-corrected")
    expect(page.locator("h1 a")).to_have_attribute("href", "/companies/acme")
    page.locator("h1 a").click()
    expect(page.locator("h1")).to_contain_text("2 application(s)")  # together again

    # Reschedule the Backend interview, in the format the app writes dates.
    page.goto(f"{url}/applications/acme-backend")
    interview = page.locator("#interview-iv1")
    interview.locator("summary").click()
    expect(interview.get_by_label("When")).to_have_value("Mon 16 Feb 2026 10:00")
    interview.get_by_label("When").fill("Tue 17 Feb 2026 14:30")
    interview.get_by_role("button", name="Save the interview").click()
    expect(page.locator(".flash")).to_contain_text("Saved:")
    expect(page.locator("#interview-iv1 time")).to_have_text("Tue 17 Feb 2026 14:30")
    fits(page, width, "2-rescheduled")

    # On Today, a call at Acme (Data); R13 moves the other Acme card a week on.
    page.goto(url)
    backend = page.locator("#card-status-acme-backend time")
    expect(backend).to_contain_text("Feb 2026")  # overdue
    page.locator("#card-status-acme-data").get_by_role("button", name="No answer").click()
    expect(page.locator("#notice")).to_contain_text("Recorded: status call to Bruno Reis")
    expect(backend).to_have_text("Mon 9 Mar 2026")

    # That call was a mistake: delete it from its timeline entry.
    page.goto(f"{url}/applications/acme-data")
    wrong = page.locator(".timeline li.touch", has_text="no answer")
    expect(wrong).to_have_count(1)
    wrong.locator("summary").click()
    fits(page, width, "3-touch-open")
    wrong.get_by_role("button", name=re.compile("Delete this call")).click()
    flash = page.locator(".flash")
    expect(flash).to_contain_text("Saved:")
    expect(page.locator(".timeline")).not_to_contain_text("no answer")
    fits(page, width, "4-deleted")

    # The other Acme card went back to where it was before the call.
    today = page.context.new_page()
    today.goto(url)
    expect(today.locator("#section-overdue #card-status-acme-backend")).to_have_count(1)
    today.close()

    # Undo, from the confirmation on the page: the call is back, and the spacing with it.
    flash.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(re.compile(r"/applications/acme-data$"))
    expect(page.locator(".flash")).to_contain_text("Undone:")
    expect(page.locator(".timeline li.touch", has_text="no answer")).to_have_count(1)
    fits(page, width, "5-undone")
    page.goto(url)
    expect(page.locator("#card-status-acme-backend time")).to_have_text("Mon 9 Mar 2026")
    fits(page, width, "6-today")
    refusal = "the server responded with a status of 422"  # the wrong date, as it should
    assert [m for m in console if refusal not in m] == []
