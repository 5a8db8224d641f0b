"""The proof of applications (issue 13, item 3): ``followup report`` and the Report page,
over a real database, with totals worked out by hand (``tests/proof_support.py``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from followup.domain.proof import Proof, ProofLine
from followup.formats.proof_pdf import find_font, latin1, to_pdf
from followup.services import proof as service
from followup.services.session import Deps
from tests.e2e.cli import User
from tests.proof_support import NAME, NOW, berlin_search

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def deps(tmp_path: Path) -> Iterator[Deps]:
    d = berlin_search(tmp_path / "p.db")
    yield d
    d.store.close()  # type: ignore[attr-defined]


@pytest.fixture
def user(tmp_path: Path) -> User:
    berlin_search(tmp_path / "u.db").store.close()  # type: ignore[attr-defined]
    return User(tmp_path / "u.db", now="2026-04-10T10:00:00+02:00")


def test_march_totals_as_worked_out_by_hand(deps: Deps) -> None:
    proof = service.proof(deps, *MARCH, NOW)
    assert proof.totals == [
        ("application", 2),
        ("email", 3),
        ("phone", 1),
        ("interview", 1),
        ("companies", 3),
    ]
    assert proof.name == NAME
    assert proof.made_on == date(2026, 4, 10)
    assert [
        (str(line.day), line.company, line.how, line.contact, line.outcome) for line in proof.lines
    ] == [
        ("2026-03-01", "Acme", "email", "Rui Lopes", "follow-up: sent"),
        ("2026-03-02", "Acme", "application via LinkedIn", "Rui Lopes", "invited to an interview"),
        ("2026-03-05", "Initech", "phone", "", "follow-up: no answer"),
        ("2026-03-10", "Acme", "interview", "Ana Łukasiewicz", "held"),
        ("2026-03-11", "Acme", "email", "Ana Łukasiewicz", "thank-you: sent"),
        ("2026-03-31", "@Globex", "application", "", "rejected"),
        ("2026-03-31", "@Globex", "email", "", "they replied; rejected"),
    ]


def test_april_and_an_interview_still_to_come(deps: Deps) -> None:
    april = service.proof(deps, date(2026, 4, 1), date(2026, 4, 30), NOW)
    assert april.totals == [
        ("application", 0),
        ("email", 0),
        ("phone", 1),
        ("interview", 1),
        ("companies", 2),
    ]
    call, interview = april.lines
    assert (call.day, call.outcome) == (date(2026, 4, 1), "follow-up: spoke with them")
    assert interview.outcome == "held"
    earlier = service.proof(deps, date(2026, 4, 1), date(2026, 4, 30), NOW.replace(day=1))
    assert earlier.lines[1].outcome == "scheduled"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 23:30 UTC on 28 February is 00:30 on 1 March in Berlin (CET, UTC+1).
        ("2026-02-28", []),
        ("2026-03-01", [("Acme", "email")]),
        # 21:59 UTC on 31 March is 23:59 that day (CEST, UTC+2); 22:30 UTC is 1 April.
        ("2026-03-31", [("@Globex", "application"), ("@Globex", "email")]),
        ("2026-04-01", [("Acme", "phone")]),
    ],
)
def test_a_day_is_a_local_day_in_the_users_zone(
    deps: Deps, day: str, expected: list[tuple[str, str]]
) -> None:
    d = date.fromisoformat(day)
    proof = service.proof(deps, d, d, NOW)
    assert [(line.company, line.how) for line in proof.lines] == expected


def test_the_zone_moves_the_boundaries(user: User) -> None:
    """The same records in UTC: the call of 31 March 22:30 UTC is in March now."""
    user.run("config", "set", "timezone", "UTC")
    out = user.run("report", "--from", "2026-03-31", "--to", "2026-03-31").stdout
    assert "Acme" in out
    assert "days in UTC" in out
    out = user.run("report", "--from", "2026-03-01", "--to", "2026-03-01").stdout
    assert "No application and no contact in this period." in out


def test_the_period_defaults_to_this_month_up_to_today(deps: Deps) -> None:
    assert service.period(deps, None, None, NOW) == (date(2026, 4, 1), date(2026, 4, 10))
    assert service.period(deps, "2026-03-01", None, NOW) == (date(2026, 3, 1), date(2026, 4, 10))
    assert service.period(deps, None, "2026-03-15", NOW) == (date(2026, 3, 1), date(2026, 3, 15))


def test_text_report(user: User) -> None:
    out = user.run("report", "--from", "2026-03-01", "--to", "2026-03-31").stdout
    lines = out.splitlines()
    assert lines[:3] == [
        "Proof of applications",
        f"Name: {NAME}",
        "Period: Sun 1 Mar 2026 to Tue 31 Mar 2026 (days in Europe/Berlin)",
    ]
    assert lines[4].split() == ["date", "time", "company", "position", "how", "contact",
                                "person", "outcome"]  # fmt: skip
    assert "Tue 10 Mar 2026  10:00  Acme" in out
    assert lines[-1] == (
        "Totals: 2 applications, 3 emails, 1 phone call, 1 interview, at 3 companies."
    )


def test_without_a_name_the_report_says_how_to_set_it(user: User) -> None:
    user.run("config", "set", "name", "")
    out = user.run("report").stdout
    assert 'Name: (not set: followup config set name "Your Name")' in out


def test_csv_report_is_neutralised(user: User, tmp_path: Path) -> None:
    user.run("report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(tmp_path / "p.csv"))
    text = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Date", "Time", "Company", "Position", "How", "Contact person", "Outcome"]
    assert rows[1] == ["2026-03-01", "00:30", "Acme", "Backend Engineer", "email", "Rui Lopes",
                       "follow-up: sent"]  # fmt: skip
    assert rows[6][2:4] == ["'@Globex", "'-Data Analyst"]
    assert len(rows) == 1 + 7
    stdout = user.run("report", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv")
    assert stdout.stdout.replace("\r\n", "\n") == text.replace("\r\n", "\n")


def pdf_text(data: bytes) -> tuple[int, str]:
    assert data.startswith(b"%PDF-1.")
    assert data.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_report_has_the_lines_the_name_and_the_totals(user: User, tmp_path: Path) -> None:
    result = user.run(
        "report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(tmp_path / "p.pdf")
    )
    assert "Wrote the proof of 7 line(s)" in result.stderr
    pages, text = pdf_text((tmp_path / "p.pdf").read_bytes())
    assert pages == 1
    flat = " ".join(text.split())
    assert "Proof of applications" in flat
    assert NAME in flat
    assert "Totals: 2 applications, 3 emails, 1 phone call, 1 interview, at 3 companies." in flat
    assert "@Globex" in flat  # a PDF runs nothing: the text as it is
    assert "page 1 of 1" in flat
    if find_font() is not None:  # a Unicode font on this machine: every letter prints
        assert "Ana Łukasiewicz" in flat


def line(i: int) -> ProofLine:
    return ProofLine(date(2026, 3, 1 + i % 28), None, f"Company {i}", "Engineer", "application",
                     "Łucja Żak", "pending", f"a{i}", "application")  # fmt: skip


def test_a_long_proof_runs_over_pages_and_the_builtin_font_keeps_latin1() -> None:
    proof = Proof(date(2026, 3, 1), date(2026, 3, 31), "Zoë Ødegård", "Europe/Berlin",
                  date(2026, 4, 1), tuple(line(i) for i in range(120)))  # fmt: skip
    pages, text = pdf_text(to_pdf(proof, None))
    assert pages >= 3
    flat = " ".join(text.split())
    assert f"page {pages} of {pages}" in flat
    assert "Zoë Ødegård" in flat  # Latin-1: kept
    assert "Lucja Zak" in flat  # beyond it: the letters without their marks
    assert len(re.findall(r"Company \d+ ", flat)) == 120
    assert flat.count("Date Time Company Position") == pages  # headings on every page


def test_latin1_fallback() -> None:
    assert latin1("Müller – “quoted” …") == 'Müller - "quoted" ...'
    assert latin1("Łódź, 東京") == "Lódz, ??"  # ó is Latin-1


def test_a_pdf_needs_a_file_unless_piped(user: User) -> None:
    result = user.run("report", "--format", "pdf", ok=False)
    assert result.exit_code == 2
    assert "a PDF needs -o FILE" in result.stderr
    piped = user.run("report", "--format", "pdf", "-o", "-")
    assert piped.stdout_bytes.startswith(b"%PDF-")


def test_html_report_is_escaped_and_printable(user: User, tmp_path: Path) -> None:
    user.run("add", "<b>Bold & Co</b>", "Engineer", "--applied", "2026-04-02")
    user.run("report", "-o", str(tmp_path / "p.html"))
    page = (tmp_path / "p.html").read_text()
    assert "&lt;b&gt;Bold &amp; Co&lt;/b&gt;" in page
    assert "<b>Bold" not in page
    assert "@media print" in page
    assert "Totals: 1 application, 0 emails, 1 phone call, 1 interview, at 3 companies." in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-31", "--to", "2026-03-01"],
         "followup: the period ends (2026-03-01) before it starts (2026-03-31)"),
        (["--from", "31/02/2026"], "followup: --from: '31/02/2026' is not a date"),
        (["--to", "soon"], "followup: --to: 'soon' is not a date"),
    ],
)  # fmt: skip
def test_a_bad_period_is_one_line_and_exit_4(user: User, args: list[str], message: str) -> None:
    result = user.run("report", *args, ok=False)
    assert result.exit_code == 4
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


def test_json_report_for_scripts(user: User) -> None:
    data = user.json("report", "--from", "2026-03-31", "--to", "2026-03-31")
    assert data["from"] == data["to"] == "2026-03-31"
    assert data["name"] == NAME
    assert data["timezone"] == "Europe/Berlin"
    assert data["totals"] == {"application": 1, "email": 1, "phone": 0, "interview": 0,
                              "companies": 1}  # fmt: skip
    assert data["lines"][1] == {
        "date": "2026-03-31",
        "time": "23:59",
        "company": "@Globex",
        "position": "-Data Analyst",
        "how": "email",
        "contact": None,
        "outcome": "they replied; rejected",
        "kind": "email",
        "application": "globex-data",
    }
    refused = user.run("report", "--json", "-o", "x.pdf", ok=False)
    assert refused.exit_code == 2
