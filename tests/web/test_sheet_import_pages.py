"""The spreadsheet import's pages without a browser: the CSRF defence, uploads that are gone
or forged, workbooks that cannot be read, and a file already imported (issue 13)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from followup.entrypoints.web.uploads import Uploads
from tests.web_support import Site, site, token

SHEET = b"Company,Position,Date applied\nAcme,Backend Engineer,2026-03-02\n"


def upload(c: TestClient, name: str = "search.csv", content: bytes = SHEET) -> str:
    answer = c.post(
        "/settings/import",
        data={"csrf_token": token(c)},
        files={"file": (name, content, "text/csv")},
    )
    return answer.text


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, name
    return found.group(1)


def confirm(c: TestClient, html: str, **fields: str) -> Any:
    data = {
        "csrf_token": token(c),
        "token": hidden(html, "token"),
        "format": hidden(html, "format"),
        "name": hidden(html, "name"),
        "do": "import",
        **fields,
    }
    return c.post("/settings/import/sheet", data=data, follow_redirects=False)


def test_upload_previews_and_confirm_imports_once(tmp_path: Path) -> None:
    web: Site = site(tmp_path)
    before = web.snapshot()
    with web.client() as c:
        page = upload(c)
        assert "Import search.csv" in page
        assert "Import 1 new application(s)" in page
        assert web.snapshot() == before
        answer = confirm(c, page)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/settings"
        imported = web.snapshot()
        assert [a["company"] for a in imported[0]["applications"]] == ["Acme"]
        # the kept upload is gone once imported
        again = confirm(c, page)
        assert again.status_code == 404
        assert "choose the file again" in again.text
        # the same sheet uploaded again has nothing to add
        page = upload(c)
        answer = confirm(c, page)
        assert answer.status_code == 200
        assert "Nothing to import" in answer.text
        assert web.snapshot() == imported


def test_the_confirmation_needs_the_csrf_token(tmp_path: Path) -> None:
    web = site(tmp_path)
    before = web.snapshot()
    with web.client() as c:
        page = upload(c)
        data = {"token": hidden(page, "token"), "format": "csv", "name": "x", "do": "import"}
        refused = c.post("/settings/import/sheet", data=data)
        assert refused.status_code == 403
        forged = c.post("/settings/import/sheet", data={**data, "csrf_token": "0" * 64})
        assert forged.status_code == 403
    assert web.snapshot() == before


def test_a_forged_token_or_format_is_refused(tmp_path: Path) -> None:
    web = site(tmp_path)
    with web.client() as c:
        base = {"csrf_token": token(c), "format": "csv", "name": "x", "do": "preview"}
        for forged in ("../../etc/passwd", "a" * 22, ""):
            answer = c.post("/settings/import/sheet", data={**base, "token": forged})
            assert answer.status_code == 404, forged
        page = upload(c)
        answer = c.post(
            "/settings/import/sheet",
            data={**base, "token": hidden(page, "token"), "format": "exe"},
        )
        assert answer.status_code == 400


def test_unreadable_files_are_refused_on_the_settings_page(tmp_path: Path) -> None:
    web = site(tmp_path)
    before = web.snapshot()
    with web.client() as c:
        assert "save the sheet as .xlsx or .csv" in upload(c, "old.xls", b"\xd0\xcf\x11\xe0")
        page = upload(c, "fake.xlsx", b"Company,Position\n")
        assert "not an XLSX workbook" in page
        assert "Import 0 new" not in page
        page = upload(c, "x.csv", b"Firma,Stelle\nAcme,Dev\n")
        assert "no header row names a company and a position column" in page
        assert '<option value="Firma">' in page  # the columns to choose from instead
        page = c.post(
            "/settings/import/sheet",
            data={
                "csrf_token": token(c),
                "token": hidden(page, "token"),
                "format": "csv",
                "name": "x.csv",
                "do": "preview",
                "map.company": "Firma",
                "map.position": "Stelle",
            },
        ).text
        assert "Import 1 new application(s)" in page
    assert web.snapshot() == before


def test_old_uploads_are_forgotten(tmp_path: Path) -> None:
    kept = Uploads()
    old = kept.keep(io.BytesIO(b"a"))
    os.utime(kept.path(old), (0, 0))
    new = kept.keep(io.BytesIO(b"b"))
    assert kept.path(new).read_bytes() == b"b"
    assert not (kept.folder / old).exists()
    assert oct(kept.folder.stat().st_mode & 0o777) == "0o700"
    kept.close()
    assert not kept.folder.exists()
