"""``followup import FILE.csv|.xlsx|.md`` (issue 13): the real command line on a real database.

Each fixture in tests/fixtures/sheets is written in a tracker's published layout (LinkedIn's
Jobs/Job Applications.csv, Huntr, Teal, career-ops' data/applications.md) or as a sheet of
one's own; the workbooks are built here with openpyxl, real dates in real date cells.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from followup import bootstrap
from followup.formats.sheets.rows import Options
from followup.formats.stream import rereadable
from followup.services import sheets
from tests.e2e.cli import User

SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
NOW = "2026-03-09T10:00:00+00:00"


def user(tmp_path: Path) -> User:
    u = User(tmp_path / "f.db", now=NOW)
    u.run("config", "set", "timezone", "Europe/Lisbon")
    return u


def apps(u: User) -> dict[str, dict[str, Any]]:
    exported = json.loads(u.run("export").stdout)
    return {a["id"]: a for a in exported["applications"]}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def by_company(u: User) -> dict[str, dict[str, Any]]:
    return {a["company"]: a for a in apps(u).values()}


def test_linkedin_export(tmp_path: Path) -> None:
    u = user(tmp_path)
    out = u.run("import", str(SHEETS / "linkedin.csv")).stdout
    assert "3 new, 0 completed, 0 unchanged" in out
    found = by_company(u)
    acme = found["Acme Robotics"]
    assert acme["position"] == "Backend Engineer"
    assert acme["applied_on"] == "2023-07-06"
    assert acme["status"] == "active"
    assert acme["link"] == "https://www.linkedin.com/jobs/view/3650000001/"
    assert acme["source"] == "LinkedIn"
    assert acme["contacts"] == []  # the applicant's own email and phone are not a contact
    assert found["Initech"]["applied_on"] == "2023-08-01"


def test_huntr_board_lists_and_the_wishlist(tmp_path: Path) -> None:
    u = user(tmp_path)
    out = u.run("import", str(SHEETS / "huntr.csv")).stdout
    assert "4 new" in out
    assert "1 row(s) of jobs only saved" in out
    found = by_company(u)
    assert "Umbrella Labs" not in found
    assert {c: a["status"] for c, a in found.items()} == {
        "Stark Industries": "active",
        "Wayne Enterprises": "active",
        "Cyberdyne": "offer",
        "Oscorp": "rejected",
    }
    assert found["Wayne Enterprises"]["notes"] == "second round next week"
    assert found["Oscorp"]["applied_on"] is None  # Huntr's Date Saved is not a day applied
    # --include-saved then adds the wishlisted job as an application, and only it
    out = u.run("import", str(SHEETS / "huntr.csv"), "--include-saved").stdout
    assert "1 new, 0 completed, 4 unchanged" in out
    assert by_company(u)["Umbrella Labs"]["status"] == "active"


def test_teal_statuses(tmp_path: Path) -> None:
    u = user(tmp_path)
    assert "7 new" in u.run("import", str(SHEETS / "teal.csv")).stdout
    found = by_company(u)
    assert {c: (a["status"], a["applied_on"]) for c, a in found.items()} == {
        "Aviato": ("active", "2026-02-03"),
        "Bachmanity": ("active", "2026-02-04"),
        "Raviga": ("offer", "2026-02-05"),
        "Endframe": ("accepted", "2026-02-06"),
        "Nucleus": ("rejected", "2026-02-07"),
        "Bream-Hall": ("no_response", "2026-02-08"),
        "Maleant": ("withdrawn", "2026-02-08"),
    }


def test_career_ops_markdown_table(tmp_path: Path) -> None:
    u = user(tmp_path)
    out = u.run("import", str(SHEETS / "applications.md")).stdout
    assert "6 new" in out
    assert "2 row(s) of jobs only saved" in out  # Evaluated and SKIP
    found = by_company(u)
    assert {c: a["status"] for c, a in found.items()} == {
        "Vandelay Industries": "active",
        "Pendant Publishing": "active",
        "Monk's Cafe": "active",
        "Play Now": "offer",
        "Yankees": "rejected",
        "Brand X": "withdrawn",
    }
    assert found["Vandelay Industries"]["position"] == "Import Analyst"
    assert found["Vandelay Industries"]["applied_on"] == "2026-02-10"
    assert found["Vandelay Industries"]["notes"] == "strong match"


def test_a_hand_kept_sheet_with_a_title_row_and_day_first_dates(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("import", str(SHEETS / "hand-kept.csv"), "--dayfirst")
    found = by_company(u)
    assert found["Acme"]["applied_on"] == "2026-03-02"
    assert found["Acme"]["status"] == "no_response"
    assert found["Acme"]["notes"] == "called twice"
    assert found["Initrode"]["applied_on"] == "2026-02-14"
    assert found["Initrode"]["link"] == "https://www.initrode.example/careers/7"
    assert found["Soylent"]["applied_on"] == "2026-03-01"


def test_without_dayfirst_the_same_sheet_reads_month_first(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("import", str(SHEETS / "hand-kept.csv"))
    assert by_company(u)["Acme"]["applied_on"] == "2026-02-03"


def test_importing_twice_adds_nothing_and_undo_takes_the_whole_import_back(
    tmp_path: Path,
) -> None:
    u = user(tmp_path)
    u.run("import", str(SHEETS / "teal.csv"))
    before = apps(u)
    history = u.json("history")
    out = u.run("import", str(SHEETS / "teal.csv")).stdout
    assert "0 new, 0 completed, 7 unchanged" in out
    assert apps(u) == before
    assert u.json("history") == history  # nothing changed: no history entry either
    u.run("undo")
    assert u.json("list") == []


def test_a_row_matches_an_application_recorded_by_hand(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("add", "acme ", "backend engineer", "--notes", "my own words")
    out = u.run("import", str(SHEETS / "hand-kept.csv"), "--dayfirst").stdout
    assert "2 new, 1 completed, 0 unchanged" in out
    acme = apps(u)["acme-backend-engineer"]
    assert acme["notes"] == "my own words"  # kept
    assert acme["status"] == "active"  # followup's status is kept
    assert acme["applied_on"] == "2026-03-02"  # what it lacked is filled
    assert acme["link"] == "https://acme.example/jobs/1"
    assert len(apps(u)) == 3


def test_the_same_job_twice_in_a_file_is_one_application(tmp_path: Path) -> None:
    sheet = tmp_path / "twice.csv"
    sheet.write_text(
        "Company,Role,Link\n"
        "Acme,Engineer,https://acme.example/1\n"
        "Acme,Engineer,https://acme.example/1\n"
        "ACME,engineer,\n"
        "Acme,Engineer II,https://acme.example/2\n"
    )
    u = user(tmp_path)
    assert "2 new, 0 completed, 2 unchanged" in u.run("import", str(sheet)).stdout


def test_batches_match_rows_written_by_an_earlier_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "BATCH", 2)
    lines = [f"Company {n % 3},Role {n % 4},2026-01-{n + 1:02}" for n in range(12)]
    sheet = tmp_path / "many.csv"
    sheet.write_text("Company,Role,Date applied\n" + "\n".join(lines) + "\n")
    u = user(tmp_path)
    out = u.run("import", str(sheet)).stdout
    assert "12 new" in out  # 3 companies x 4 roles: every pair once
    assert "0 new, 0 completed, 12 unchanged" in u.run("import", str(sheet)).stdout
    assert len(u.json("history")) == 2  # the time zone, then the import: one entry


def test_a_job_twice_across_batches_is_written_once_and_undo_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "BATCH", 2)
    sheet = tmp_path / "twice.csv"
    sheet.write_text(
        "Company,Role,Notes\n"
        "Acme,Engineer,\n"
        "Globex,Analyst,\n"
        "Acme,Engineer,a note only the second row has\n"
    )
    u = user(tmp_path)
    u.run("add", "Globex", "Analyst")
    out = u.run("import", str(sheet)).stdout
    assert "1 new, 0 completed, 2 unchanged" in out
    u.run("undo")
    assert list(apps(u)) == ["globex-analyst"]


def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("add", "Acme", "Backend Engineer")
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "Company,Position,Date applied\n"
        "Globex,Analyst,01/02/2026\n"
        "Initech,Tester,31/02/2026\n"
        "Hooli,Designer,not a date\n"
    )
    before = digest(u.db)
    result = u.run("import", str(sheet), "--dayfirst", ok=False)
    assert result.exit_code == 5
    assert result.stderr.strip().splitlines() == [
        f'followup: {sheet}: row 3, column "Date applied": not a date: 31/02/2026'
    ]
    assert "Traceback" not in result.output
    assert digest(u.db) == before
    assert list(apps(u)) == ["acme-backend-engineer"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Company,Position,Date applied\nAcme,Dev,2027-01-04\n",
         'row 2, column "Date applied": Mon 4 Jan 2027 is in the future (today is Mon 9 Mar 2026)'),
        ("Company,Position,Status\nAcme,Dev,On hold\n",
         'row 2, column "Status": not a status followup knows: On hold'),
        ("Company,Position,Link\nAcme,Dev,javascript:alert(1)\n",
         'row 2, column "Link": not a web address: javascript:alert(1)'),
        ("Company,Position\n,Dev\n", 'row 2, column "Company": empty'),
        ("Firma,Stelle\nAcme,Dev\n", "no header row names a company and a position column"),
        ("", "the sheet is empty"),
    ],
)  # fmt: skip
def test_refusals_name_the_row_and_the_column(tmp_path: Path, content: str, message: str) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(content)
    u = user(tmp_path)
    result = u.run("import", str(sheet), ok=False)
    assert result.exit_code == 5, result.output
    assert message in result.stderr
    assert u.json("list") == []


def test_dry_run_shows_the_mapping_rows_and_counts_and_writes_nothing(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("add", "Cyberdyne", "ML Engineer")
    before = digest(u.db)
    out = u.run("import", str(SHEETS / "huntr.csv"), "--dry-run").stdout
    assert digest(u.db) == before
    assert "nothing was written" in out
    assert "Layout: Huntr" in out
    assert "status     <- 'List'" in out
    assert "Not imported: 'Location', 'Salary', 'Date Saved'." in out
    assert "Wayne Enterprises" in out
    assert "Would add 3, complete 1 and leave 0 unchanged, from 5 row(s)" in out
    data = u.json("import", str(SHEETS / "huntr.csv"), "--dry-run")
    assert digest(u.db) == before
    assert data["columns"]["company"] == "Employer"
    assert data["first_rows"][0]["company"] == "Stark Industries"
    assert (data["created"], data["completed"], data["saved_skipped"]) == (3, 1, 1)
    assert list(apps(u)) == ["cyberdyne-ml-engineer"]


def test_dry_run_lists_every_problem_and_exits_5(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("Company,Position,Status\nAcme,Dev,Applied\nB,Dev,Maybe\nC,Dev,Perhaps\n")
    u = user(tmp_path)
    before = digest(u.db)
    result = u.run("import", str(sheet), "--dry-run", ok=False)
    assert result.exit_code == 5
    assert "2 problem(s); the import would refuse the file" in result.stdout
    assert 'row 3, column "Status": not a status followup knows: Maybe' in result.stdout
    assert 'row 4, column "Status": not a status followup knows: Perhaps' in result.stdout
    assert digest(u.db) == before


def test_map_and_status_options(tmp_path: Path) -> None:
    sheet = tmp_path / "de.csv"
    sheet.write_text("Firma;Stelle;Stand;Beworben am\nAcme;Entwickler;Gespräch;02.03.2026\n")
    u = user(tmp_path)
    result = u.run("import", str(sheet), ok=False)
    assert result.exit_code == 5
    assert "--map company=COLUMN --map position=COLUMN" in result.stderr
    args = ["--map", "company=Firma", "--map", "position=stelle", "--map", "status=Stand",
            "--map", "applied_on=Beworben am", "--dayfirst"]  # fmt: skip
    result = u.run("import", str(sheet), *args, ok=False)
    assert 'column "Stand": not a status followup knows: Gespräch' in result.stderr
    u.run("import", str(sheet), *args, "--status", "Gespräch=active")
    app = apps(u)["acme-entwickler"]
    assert (app["status"], app["applied_on"]) == ("active", "2026-03-02")
    bad = u.run("import", str(sheet), "--map", "company=Firm", ok=False)
    assert bad.exit_code == 4
    assert "--map company=Firm: no column 'Firm'" in bad.stderr
    bad = u.run("import", str(sheet), "--status", "x=maybe", ok=False)
    assert bad.exit_code == 4


def xlsx(path: Path, rows: list[list[Any]], title: list[Any] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append(title)
    for row in rows:
        sheet.append(row)
    book.create_sheet("Touches").append(["not", "read"])
    book.save(path)
    return path


def test_xlsx_with_real_dates(tmp_path: Path) -> None:
    book = xlsx(
        tmp_path / "search.xlsx",
        [
            ["Company", "Position", "Applied on", "Status", "Link"],
            ["Acme", "Engineer", datetime(2026, 3, 2, 15, 45), "Interviewing", None],  # noqa: DTZ001
            ["Globex", "Analyst", date(2026, 2, 27), "Ghosted", "https://globex.example/7"],
            ["Initech", 42, "2026-02-20", None, None],
        ],
        title=["My search"],
    )
    cell = openpyxl.load_workbook(book)["Sheet"]["C3"]
    assert cell.is_date  # a real date cell, not text
    u = user(tmp_path)
    out = u.run("import", str(book)).stdout
    assert "3 new" in out
    found = by_company(u)
    assert (found["Acme"]["applied_on"], found["Acme"]["status"]) == ("2026-03-02", "active")
    assert found["Globex"]["applied_on"] == "2026-02-27"
    assert found["Globex"]["status"] == "no_response"
    assert found["Initech"]["position"] == "42"
    assert "0 new" in u.run("import", str(book)).stdout


def test_xlsx_bad_row_and_not_a_workbook(tmp_path: Path) -> None:
    book = xlsx(tmp_path / "bad.xlsx", [["Company", "Role", "Date"], ["Acme", "Dev", 45123]])
    u = user(tmp_path)
    before = digest(u.db)
    result = u.run("import", str(book), ok=False)
    assert result.exit_code == 5
    assert 'row 2, column "Date": not a date: 45123' in result.stderr
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Company,Role\n")
    result = u.run("import", str(fake), ok=False)
    assert result.exit_code == 5
    assert "not an XLSX workbook" in result.stderr
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = u.run("import", str(old), ok=False)
    assert "save the sheet as .xlsx or .csv" in result.stderr
    assert digest(u.db) == before


def test_format_option_and_stdin(tmp_path: Path) -> None:
    renamed = tmp_path / "export.dat"
    shutil.copy(SHEETS / "teal.csv", renamed)
    u = user(tmp_path)
    assert "7 new" in u.run("import", str(renamed), "--format", "csv").stdout
    text = (SHEETS / "applications.md").read_text()
    assert "6 new" in u.run("import", "-", "--format", "md", input=text).stdout
    result = u.run("import", str(renamed), "--dry-run", ok=False)  # read as followup/1 JSON
    assert result.exit_code == 2
    assert "are for spreadsheets" in result.stderr


def test_the_followup_1_import_is_unchanged(tmp_path: Path) -> None:
    u = user(tmp_path)
    u.run("add", "Acme", "Backend Engineer")
    exported = tmp_path / "all.json"
    u.run("export", str(exported))
    other = User(tmp_path / "other.db", now=NOW)
    assert "1 new, 0 updated, 0 unchanged" in other.run("import", str(exported)).stdout


def test_a_sheet_written_from_followup_values_reads_back(tmp_path: Path) -> None:
    """followup's own column names and statuses (an export) read back as they were."""
    u = user(tmp_path)
    for status in ("active", "offer", "accepted", "rejected", "withdrawn", "no_response"):
        added = u.json("add", f"Co {status}", "Dev", "--applied", "2026-03-01")
        if status != "active":
            u.run("status", added["id"], status)
    before = {a["company"]: (a["status"], a["applied_on"]) for a in apps(u).values()}
    book = xlsx(
        tmp_path / "own.xlsx",
        [["company", "position", "status", "applied_on", "link", "notes"]]
        + [[c, "Dev", s, date.fromisoformat(d), None, None] for c, (s, d) in before.items()],
    )
    other = User(tmp_path / "other.db", now=NOW)
    other.run("import", str(book))
    assert {a["company"]: (a["status"], a["applied_on"]) for a in apps(other).values()} == before


def test_web_and_cli_share_the_service(tmp_path: Path) -> None:
    """The preview the web page shows is the service's: it rolls back what it did."""
    db = tmp_path / "f.db"
    deps = bootstrap.build(str(db))
    with (SHEETS / "teal.csv").open("rb") as f:
        found = sheets.preview(deps, rereadable(f), Options("csv", {}, {}))
    assert found.ok
    assert found.counts.created == 7
    with deps.store.reading() as repo:
        assert list(repo.applications()) == []
