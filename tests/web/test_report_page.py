"""The Report page (issue 13): the proof of a period as a page, a CSV and a PDF."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_proof import pdf_text
from tests.proof_support import NAME, NOW, berlin_search
from tests.web_support import Site


def test_the_report_page_and_its_downloads(tmp_path: Path) -> None:
    berlin_search(tmp_path / "web.db").store.close()  # type: ignore[attr-defined]
    site = Site(tmp_path / "web.db", NOW)
    with site.client() as client:
        page = client.get("/report", params={"from": "2026-03-01", "to": "2026-03-31"})
        assert page.status_code == 200
        assert NAME in page.text
        assert page.text.count("<tr>") == 1 + 7
        assert '<a href="/applications/acme-backend">Acme</a>' in page.text
        assert (
            "Totals: 2 applications, 3 emails, 1 phone call, 1 interview, at 3 companies."
            in page.text
        )
        assert 'href="/report.csv?from=2026-03-01&amp;to=2026-03-31"' in page.text

        default = client.get("/report")
        assert 'value="2026-04-01"' in default.text
        assert 'value="2026-04-10"' in default.text

        sheet = client.get("/report.csv", params={"from": "2026-03-01", "to": "2026-03-31"})
        assert sheet.headers["content-type"] == "text/csv; charset=utf-8"
        assert sheet.headers["content-disposition"] == (
            'attachment; filename="proof-2026-03-01-to-2026-03-31.csv"'
        )
        assert sheet.content.startswith(b"\xef\xbb\xbfDate,Time,Company")
        assert "'@Globex" in sheet.content.decode("utf-8-sig")

        pdf = client.get("/report.pdf", params={"from": "2026-03-01", "to": "2026-03-31"})
        assert pdf.headers["content-type"] == "application/pdf"
        assert "Totals: 2 applications" in " ".join(pdf_text(pdf.content)[1].split())

        wrong = client.get("/report", params={"from": "2026-03-31", "to": "2026-03-01"})
        assert wrong.status_code == 400
        assert "the period ends (2026-03-01) before it starts (2026-03-31)" in wrong.text
        bad = client.get("/report.pdf", params={"from": "x" * 5000})
        assert bad.status_code == 400
        assert "is not a date" in bad.text
