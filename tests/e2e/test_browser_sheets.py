"""Importing a spreadsheet in a real browser (issue 13): upload, preview, change, confirm.

The hand-kept sheet has a title row and dates written day first: the first preview reads
them month first, ticking "day first" and previewing again fixes them, dropping the notes
column leaves them out, and Import records the rows, back on Settings with an Undo. A file
with a bad row shows its problems and offers no Import button.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from followup import bootstrap
from tests.e2e.browser import screenshot
from tests.web_support import Site, free_port, serving

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    s = Site(tmp_path / "sheets.db", datetime(2026, 3, 9, 9, tzinfo=UTC), port=free_port())
    with serving(s) as url:
        yield s, url


def stored(s: Site) -> dict[str, tuple[str, str | None, str | None]]:
    deps = bootstrap.build(str(s.db), clock=s.clock)
    try:
        with deps.store.reading() as repo:
            return {
                a.company: (a.status.value, str(a.applied_on) if a.applied_on else None, a.notes)
                for a in repo.applications()
            }
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def upload(page: Page, url: str, path: Path) -> None:
    page.goto(f"{url}/settings")
    form = page.locator("form[action='/settings/import']")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_role("button", name="Import", exact=True).click()


def test_upload_preview_change_and_confirm(site: tuple[Site, str], page: Page) -> None:
    s, url = site
    upload(page, url, SHEETS / "hand-kept.csv")
    expect(page.locator("h1")).to_have_text("Import hand-kept.csv")
    expect(page.get_by_text("Read as a sheet of your own, the headers in row 3")).to_be_visible()
    rows = page.locator("#first-rows tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Acme")
    expect(rows.nth(0)).to_contain_text("Tue 3 Feb 2026")  # read month first
    expect(rows.nth(0)).to_contain_text("called twice")
    expect(page.locator("#counts")).to_contain_text("would add 3")
    assert stored(s) == {}  # a preview writes nothing

    page.get_by_label("Dates are written day first").check()
    page.locator("#map-notes").select_option(value="-")
    page.get_by_role("button", name="Preview again").click()
    expect(rows.nth(0)).to_contain_text("Mon 2 Mar 2026")
    expect(rows.nth(0)).not_to_contain_text("called twice")
    expect(page.locator("#map-notes")).to_have_value("-")  # the choice is kept
    screenshot(page, "sheet-import-preview")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
    screenshot(page, "sheet-import-preview-390")
    assert stored(s) == {}

    page.get_by_role("button", name="Import 3 new application(s)").click()
    expect(page).to_have_url(f"{url}/settings")
    expect(page.get_by_role("status").filter(has_text="Imported hand-kept.csv")).to_be_visible()
    assert stored(s) == {
        "Acme": ("no_response", "2026-03-02", None),
        "Initrode": ("active", "2026-02-14", None),
        "Soylent": ("active", "2026-03-01", None),
    }
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status").filter(has_text="Undone")).to_be_visible()
    assert stored(s) == {}


def test_a_bad_row_is_shown_and_nothing_can_be_imported(
    site: tuple[Site, str], page: Page, tmp_path: Path
) -> None:
    s, url = site
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Company,Position,Date applied\nAcme,Dev,2026-03-01\nGlobex,Analyst,31/02/2026\n"
    )
    upload(page, url, bad)
    expect(page.locator("#problems")).to_contain_text(
        'row 3, column "Date applied": not a date: 31/02/2026'
    )
    expect(page.get_by_role("button", name="Preview again")).to_be_visible()
    expect(page.get_by_role("button", name=" new application(s)")).to_have_count(0)
    assert stored(s) == {}
