"""Spreadsheet rows read as applications (issue 13): headers, statuses, dates, links."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from followup.domain.model import Status
from followup.formats.sheets import columns as col
from followup.formats.sheets import values
from followup.formats.sheets.columns import MapError, detect, parse_map, words
from followup.formats.sheets.files import Cell

LISBON = ZoneInfo("Europe/Lisbon")


# --- headers --------------------------------------------------------------------------------


def test_headers_compare_by_their_words_only() -> None:
    assert words(" Date_Applied ") == "date applied"
    assert words("DATE-APPLIED") == "date applied"
    assert words("Max. Salary") == "max salary"
    assert words("#") == "#"
    assert words(None) == ""


def test_linkedin_layout_maps_its_columns_and_leaves_the_applicants_own_details_out() -> None:
    headers = ["Application Date", "Contact Email", "Contact Phone Number", "Company Name",
               "Job Title", "Job Url", "Resume Name", "Question And Answers"]  # fmt: skip
    m = detect(headers, {})
    assert m.layout.startswith("LinkedIn")
    assert {f: m.header(f) for f in m.columns} == {
        "company": "Company Name",
        "position": "Job Title",
        "applied_on": "Application Date",
        "link": "Job Url",
    }
    assert m.constants == {"source": "LinkedIn"}
    assert m.unused == ["Contact Email", "Contact Phone Number", "Resume Name",
                        "Question And Answers"]  # fmt: skip
    assert m.note is not None
    assert "own details" in m.note


def test_huntr_layout_reads_the_board_list_as_the_status() -> None:
    m = detect(["Employer", "Job Title", "List", "URL", "Location", "Salary", "Date Saved",
                "Notes"], {})  # fmt: skip
    assert m.layout == "Huntr"
    assert {f: m.header(f) for f in m.columns} == {
        "company": "Employer",
        "position": "Job Title",
        "status": "List",
        "link": "URL",
        "notes": "Notes",
    }
    assert "applied_on" not in m.columns  # a day saved is not a day applied


def test_teal_layout_prefers_the_day_applied_to_the_day_saved() -> None:
    m = detect(["Job Position", "Company", "Status", "Date Saved", "Date Applied", "URL"], {})
    assert m.layout == "Teal"
    assert m.header("applied_on") == "Date Applied"
    assert m.header("position") == "Job Position"


def test_career_ops_layout() -> None:
    m = detect(["#", "Date", "Company", "Role", "Score", "Status", "PDF", "Report", "Notes"], {})
    assert m.layout.startswith("career-ops")
    assert m.header("applied_on") == "Date"
    assert m.header("position") == "Role"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Firma", "company", "Title"], {"company": "company", "position": "Title"}),
        (
            ["Organisation", "Role", "Applied"],
            {"company": "Organisation", "position": "Role", "applied_on": "Applied"},
        ),
        (["Employer", "Position", "Job Title"], {"company": "Employer", "position": "Position"}),
        (
            ["Date", "Date applied", "Company", "Job"],
            {"company": "Company", "position": "Job", "applied_on": "Date applied"},
        ),
        (
            ["Job URL", "Link", "COMPANY", "role"],
            {"company": "COMPANY", "position": "role", "link": "Link"},
        ),
        (
            ["Company", "Position", "Found via", "Comments", "Stage"],
            {
                "company": "Company",
                "position": "Position",
                "source": "Found via",
                "notes": "Comments",
                "status": "Stage",
            },
        ),
    ],
)
def test_a_hand_kept_sheet_in_any_order_and_common_spellings(
    headers: list[str], expected: dict[str, str]
) -> None:
    m = detect(headers, {})
    assert m.layout == col.HAND_KEPT
    assert {f: m.header(f) for f in m.columns} == expected


def test_map_overrides_completes_and_drops() -> None:
    headers = ["Firma", "Stelle", "Status", "Link"]
    assert not detect(headers, {}).complete
    m = detect(headers, parse_map(["company=firma", "position = STELLE", "link="]))
    assert m.complete
    assert m.header("company") == "Firma"
    assert m.header("position") == "Stelle"
    assert "link" not in m.columns
    assert m.unused == ["Link"]
    # a column given to a field by --map is not taken by another one
    m = detect(["Company", "Title", "Role"], parse_map(["position=Role"]))
    assert m.header("position") == "Role"
    # --map source= also drops a layout's constant
    linkedin = ["Application Date", "Company Name", "Job Title", "Job Url"]
    assert detect(linkedin, parse_map(["source="])).constants == {}


def test_map_refusals() -> None:
    with pytest.raises(MapError, match="FIELD one of"):
        parse_map(["employer=Company"])
    with pytest.raises(MapError, match="FIELD=COLUMN"):
        parse_map(["company"])
    with pytest.raises(MapError, match="no column 'Firm'"):
        detect(["Company", "Role"], {"company": "Firm"})


# --- statuses -------------------------------------------------------------------------------

STATUSES = {
    # Huntr's lists
    "Wishlist": values.SAVED, "Applied": "active", "Interviewing": "active", "Offer": "offer",
    "Rejected": "rejected",
    # Teal's statuses and archive reasons
    "Bookmarked": values.SAVED, "Applying": values.SAVED, "Negotiating": "offer",
    "Accepted": "accepted", "Not Selected": "rejected", "No Response": "no_response",
    "I Withdrew": "withdrawn",
    # career-ops' states (bold as it writes some)
    "Evaluated": values.SAVED, "**Applied**": "active", "Responded": "active",
    "Interview": "active", "Discarded": "withdrawn", "SKIP": values.SAVED,
    # what people write
    "Saved": values.SAVED, "ghosted": "no_response", "Phone screen": "active",
    "offer accepted": "accepted", "withdrew": "withdrawn", " IN REVIEW ": "active",
    "": "active",
    # followup's own values (an export read back)
    **{s.value: s.value for s in Status},
}  # fmt: skip


@pytest.mark.parametrize(("said", "meant"), STATUSES.items())
def test_every_status_word(said: str, meant: str) -> None:
    assert values.status(said, {}) == meant


def test_an_unknown_status_is_a_problem_unless_named() -> None:
    with pytest.raises(ValueError, match="not a status followup knows: On hold"):
        values.status("On hold", {})
    assert values.status("On hold", {"on hold": "active"}) == "active"
    assert values.status("Applied", {"applied": "saved"}) == values.SAVED  # --status wins


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "dayfirst", "expected"),
    [
        ("7/6/23, 2:20 PM", False, date(2023, 7, 6)),  # LinkedIn's Application Date
        ("7/6/23, 2:20 PM", True, date(2023, 6, 7)),
        ("03/04/2026", False, date(2026, 3, 4)),
        ("03/04/2026", True, date(2026, 4, 3)),
        ("2026-03-04", False, date(2026, 3, 4)),
        ("2026-03-04", True, date(2026, 3, 4)),  # year first is never read day first
        ("2026/03/04", True, date(2026, 3, 4)),
        ("4 Mar 2026", False, date(2026, 3, 4)),
        ("March 4, 2026", True, date(2026, 3, 4)),
        ("04.03.2026", True, date(2026, 3, 4)),
        ("2026-03-04T23:30:00Z", False, date(2026, 3, 4)),
        ("2026-03-04T23:30:00-05:00", False, date(2026, 3, 5)),  # 04:30 in Lisbon
        (datetime(2026, 3, 4, 14, 30), False, date(2026, 3, 4)),  # noqa: DTZ001 - an XLSX date
        (date(2026, 3, 4), False, date(2026, 3, 4)),
        (
            datetime(2026, 3, 4, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
            False,
            date(2026, 3, 5),
        ),
        ("1 Jan 2001", False, date(2001, 1, 1)),  # every part as the first default's
        ("2/2/2002", True, date(2002, 2, 2)),  # ... and as the second's
        ("", False, None),
        (None, False, None),
    ],
)
def test_dates(cell: Cell, dayfirst: bool, expected: date | None) -> None:
    assert values.day(cell, dayfirst=dayfirst, tz=LISBON) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2026", "not a date: 31/02/2026"),
        ("2026-02-30", "not a date: 2026-02-30"),
        ("Jan 2001", "not a whole date"),
        ("soon", "not a date: soon"),
        ("Feb 2026", "not a whole date"),
        ("12", "not a whole date"),
        (45123, "not a date: 45123"),
        (time(10, 0), "not a date"),
    ],
)
def test_not_dates(cell: Cell, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        values.day(cell, dayfirst=False, tz=UTC)


# --- text and links -------------------------------------------------------------------------


def test_links() -> None:
    assert values.link("https://acme.example/jobs/1") == "https://acme.example/jobs/1"
    assert values.link("www.acme.example/jobs/1") == "https://www.acme.example/jobs/1"
    assert values.link("[ad](https://acme.example/1)") == "https://acme.example/1"
    assert values.link(None) is None
    for bad in ("javascript:alert(1)", "see email", "ftp://acme.example/x"):
        with pytest.raises(ValueError, match="not a web address"):
            values.link(bad)


def test_cells_as_text() -> None:
    assert values.text(3.0) == "3"
    assert values.text(3.5) == "3.5"
    assert values.text("  x ") == "x"
    assert values.text("   ") is None
    assert values.plain("**Acme**") == "Acme"
    assert values.plain("[001](reports/001.md)") == "001"
