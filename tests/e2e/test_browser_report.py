"""The Report page in a real browser (issue 13): choose a period, read the proof, download
its CSV, and see that printing leaves out everything but the proof."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import screenshot
from tests.proof_support import NAME, NOW, berlin_search
from tests.web_support import Site, free_port, serving


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    berlin_search(tmp_path / "report.db").store.close()  # type: ignore[attr-defined]
    site = Site(tmp_path / "report.db", NOW, port=free_port())
    with serving(site) as address:
        yield address


def test_choose_a_period_read_the_proof_and_download_it(
    url: str, page: Page, tmp_path: Path
) -> None:
    page.goto(url)
    page.get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Proof of applications")).to_be_visible()
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_label("To").fill("2026-03-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{url}/report?from=2026-03-01&to=2026-03-31")
    rows = page.locator("table.proof tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(0)).to_contain_text("Sun 1 Mar 2026")
    expect(rows.nth(0)).to_contain_text("00:30")
    expect(rows.nth(3)).to_contain_text("Ana Łukasiewicz")
    expect(page.locator(".totals")).to_have_text(
        "Totals: 2 applications, 3 emails, 1 phone call, 1 interview, at 3 companies."
    )
    expect(page.get_by_text(f"Name: {NAME}")).to_be_visible()
    screenshot(page, "13-report")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "proof-2026-03-01-to-2026-03-31.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows_read = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows_read[0][:3] == ["Date", "Time", "Company"]
    assert len(rows_read) == 1 + 7

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "proof.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")

    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("form.period")).to_be_hidden()
    expect(page.get_by_role("link", name="Download CSV")).to_be_hidden()
    expect(page.get_by_text("Date and signature")).to_be_visible()
    expect(rows).to_have_count(7)
    screenshot(page, "13-report-print")


def test_a_period_the_wrong_way_round_is_said_on_the_page(url: str, page: Page) -> None:
    page.goto(f"{url}/report")
    page.get_by_label("From").fill("2026-03-31")
    page.get_by_label("To").fill("2026-03-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_have_text(
        "the period ends (2026-03-01) before it starts (2026-03-31)"
    )
    expect(page.locator("table.proof")).to_have_count(0)
