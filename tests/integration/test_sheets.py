"""``followup export FILE.csv`` / ``FILE.xlsx`` (issue 13, item 2), read back as a
spreadsheet program would: the csv module and openpyxl open the files the command wrote."""

from __future__ import annotations

import csv
import os
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from followup.domain.model import Application
from followup.errors import InvalidInput
from followup.formats.cells import FORMULA_STARTS, neutralise
from followup.formats.sheets import export as sheets
from followup.services import sheet_export as service
from tests.e2e.cli import User
from tests.proof_support import FORMULA_NOTES, berlin_search


@pytest.fixture
def user(tmp_path: Path) -> User:
    berlin_search(tmp_path / "s.db").store.close()  # type: ignore[attr-defined]
    return User(tmp_path / "s.db")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_has_the_applications_and_a_second_file_with_the_touches(
    user: User, tmp_path: Path
) -> None:
    result = user.run("export", str(tmp_path / "search.csv"))
    assert "Exported 4 application(s) and 6 touch(es)" in result.stderr
    assert (tmp_path / "search.csv").read_bytes().startswith(b"\xef\xbb\xbfCompany,Position,")
    apps = read_csv(tmp_path / "search.csv")
    assert list(apps[0]) == list(sheets.APPLICATION_HEADERS)
    assert [a["Company"] for a in apps] == ["'@Globex", "Acme", "Hooli", "Initech"]
    acme = apps[1]
    assert acme == {
        "Company": "Acme",
        "Position": "Backend Engineer",
        "Status": "active",
        "Date applied": "2026-03-02",
        "Link": "https://acme.example/jobs/7",
        "Notes": "'" + FORMULA_NOTES,
        "Source": "LinkedIn",
        "Contacts": "Ana Łukasiewicz (interviewer, ana@acme.example);"
        " Rui Lopes (hr, +49 30 1234567)",
        "Interviews": "2026-03-10 10:00 with Ana Łukasiewicz",
        "Date recorded": "2026-04-10",
        "ID": "acme-backend",
    }
    # A recorded rejection shows as the status followup shows; a day not known stays empty.
    assert apps[0]["Status"] == "rejected"
    assert apps[0]["Position"] == "'-Data Analyst"
    assert apps[2]["Date applied"] == ""
    assert apps[3]["Interviews"] == "2026-03-12 10:00 (cancelled)"

    touches = read_csv(tmp_path / "search-touches.csv")
    assert list(touches[0]) == list(sheets.TOUCH_HEADERS)
    assert len(touches) == 6
    first = next(
        t for t in touches if t["Touch ID"] == "t1" and t["Application ID"] == "acme-backend"
    )
    # 23:30 UTC on 28 February is 00:30 on 1 March in Berlin.
    assert (first["Date"], first["Time"], first["How"], first["Contact"]) == (
        "2026-03-01",
        "00:30",
        "email",
        "Rui Lopes",
    )
    reply = next(t for t in touches if t["Application ID"] == "globex-data")
    assert (reply["Company"], reply["Outcome"], reply["Decision"]) == (
        "'@Globex",
        "replied",
        "rejected",
    )
    thanks = next(t for t in touches if t["Touch ID"] == "t2" and t["Company"] == "Acme")
    assert thanks["Notes"] == "'+1 for the team"


def test_xlsx_has_two_sheets_with_real_dates(user: User, tmp_path: Path) -> None:
    user.run("export", str(tmp_path / "search.xlsx"))
    book = load_workbook(tmp_path / "search.xlsx")
    assert book.sheetnames == ["Applications", "Touches"]
    rows = list(book["Applications"].iter_rows(values_only=True))
    assert rows[0] == sheets.APPLICATION_HEADERS
    acme = dict(zip(sheets.APPLICATION_HEADERS, rows[2], strict=True))
    assert acme["Company"] == "Acme"
    assert acme["Date applied"] == datetime(2026, 3, 2)  # noqa: DTZ001 - a day, as spreadsheets keep them
    assert acme["Notes"] == "'" + FORMULA_NOTES
    assert book["Applications"]["D3"].number_format == "yyyy-mm-dd"
    touches = list(book["Touches"].iter_rows(values_only=True))
    assert touches[0] == sheets.TOUCH_HEADERS
    assert len(touches) == 1 + 6
    first = dict(zip(sheets.TOUCH_HEADERS, touches[1], strict=True))
    assert first["Date"] == datetime(2026, 3, 31)  # noqa: DTZ001 - @Globex sorts first
    assert first["Time"] == time(23, 59)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_no_cell_is_a_formula_and_the_text_is_kept(user: User, tmp_path: Path, form: str) -> None:
    """Every start OWASP names, in every kind of text field, opened by the reader."""
    path = tmp_path / f"evil.{form}"
    starts = {"company": "=1+2", "position": "+SUM(A1)", "notes": "@cmd", "source": "-2+3"}
    for i, (field, value) in enumerate(starts.items()):
        args = {"company": f"Company {i}", "position": f"Position {i}", field: value}
        extra = [f"--{field}", args[field]] if field in ("notes", "source") else []
        user.run("add", args["company"], args["position"], *extra)
    user.run("export", str(path))
    if form == "csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            cells = [c for row in csv.reader(f) for c in row]
    else:
        book = load_workbook(path)
        sheet_cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in sheet_cells)
        cells = [c.value for c in sheet_cells if isinstance(c.value, str)]
    risky = [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert risky == []
    for value in [*starts.values(), FORMULA_NOTES]:
        assert "'" + value in cells, value


def test_neutralise_each_start_named_by_owasp() -> None:
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}x") == f"'{start}x"
    assert neutralise("Acme") == "Acme"
    assert neutralise("'quoted") == "'quoted"
    assert neutralise("") == ""


def test_format_overrides_the_extension_and_json_is_unchanged(user: User, tmp_path: Path) -> None:
    user.run("export", str(tmp_path / "book.data"), "--format", "xlsx")
    with (tmp_path / "book.data").open("rb") as f:
        assert load_workbook(f).sheetnames == ["Applications", "Touches"]
    user.run("export", str(tmp_path / "backup.json"))
    assert (tmp_path / "backup.json").read_text().startswith('{\n  "format": "followup/1"')
    user.run("export", str(tmp_path / "plain.txt"))
    assert (tmp_path / "plain.txt").read_text().startswith('{\n  "format": "followup/1"')


def test_a_spreadsheet_needs_a_file(user: User) -> None:
    result = user.run("export", "--format", "csv", ok=False)
    assert result.exit_code == 2
    assert "a csv export needs a FILE" in result.stderr


def test_an_unwritable_place_is_one_line_and_no_file(user: User, tmp_path: Path) -> None:
    result = user.run("export", str(tmp_path / "missing" / "x.csv"), ok=False)
    assert result.exit_code == 4
    assert result.stderr.startswith("followup: cannot write ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_failure_halfway_leaves_no_half_file(user: User, tmp_path: Path, form: str) -> None:
    """The old export stays as it was, and no temporary file is left behind."""
    path = tmp_path / f"old.{form}"
    user.run("export", str(path))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("old")}
    deps = berlin_search(tmp_path / "s.db")
    with deps.store.reading() as repo:
        apps = list(repo.applications())
    deps.store.close()  # type: ignore[attr-defined]

    def failing() -> Iterator[Application]:
        yield apps[0]
        raise RuntimeError("disk pulled out")

    write = sheets.write_csv if form == "csv" else sheets.write_xlsx
    with pytest.raises(RuntimeError):
        write(str(path), failing(), UTC)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("old")}
    assert after == before


def test_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    """Rows are written as they come: a generator of many applications is never listed."""

    def many(n: int) -> Iterator[Application]:
        for i in range(n):
            yield Application(f"a{i}", f"Company {i}", "Engineer", applied_on=date(2026, 3, 2))

    sheets.write_xlsx(str(tmp_path / "warm.xlsx"), many(10), UTC)  # imports and caches
    peaks = []
    for n, name in ((500, "small.xlsx"), (5_000, "large.xlsx")):
        tracemalloc.start()
        sheets.write_xlsx(str(tmp_path / name), many(n), UTC)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] * 2, peaks  # ten times the rows, about the same memory
    book = load_workbook(tmp_path / "large.xlsx", read_only=True)
    assert sum(1 for _ in book["Applications"].iter_rows()) == 5_001
    book.close()


def test_the_service_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    deps = berlin_search(tmp_path / "s.db")
    try:
        with pytest.raises(InvalidInput, match="cannot write"):
            service.export(deps, str(tmp_path / "nowhere" / "x.xlsx"), "xlsx")
    finally:
        deps.store.close()  # type: ignore[attr-defined]
    assert not os.path.exists(tmp_path / "nowhere")
