"""A spreadsheet round trip (issue 13): what ``followup export FILE.xlsx`` writes,
``followup import`` brings back into an empty database as the same applications, even
text a spreadsheet would have run as a formula (exported behind a ', read back without it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.cli import User

NOW = "2026-03-09T10:00:00+00:00"
#: What an export of one form keeps and the import reads back; the rest (contacts,
#: interviews, touches) is in the export for people to read, not a followup/1 file.
KEPT = ("company", "position", "status", "applied_on", "link", "source", "notes")


def applications(u: User) -> list[dict[str, Any]]:
    exported = json.loads(u.run("export").stdout)["applications"]
    return sorted(
        ({k: a[k] for k in KEPT} for a in exported), key=lambda a: (a["company"], a["position"])
    )


@pytest.mark.parametrize("name", ["search.xlsx", "search.csv"])
def test_an_export_imports_into_an_empty_database_as_it_was(tmp_path: Path, name: str) -> None:
    first = User(tmp_path / "first.db", now=NOW)
    first.run("config", "set", "timezone", "Europe/Berlin")
    first.run(
        "add", "Acme", "Backend Engineer", "--applied", "2026-02-20",
        "--link", "https://acme.example/jobs/42", "--source", "a friend",
        "--notes", "Spoke to Ana; send the portfolio",
    )  # fmt: skip
    first.run("add", "Globex", "Data Engineer", "--applied", "2026-03-02")
    first.run(
        "add", "=HYPERLINK(\"http://evil.example\")", "+Platform, Team \"B\"",
        "--applied", "2026-01-15", "--notes", "-2+3\n@cell; tabs\tand commas, kept",
    )  # fmt: skip
    first.run("add", "Hooli", "SRE", "--applied", "2026-01-05")
    first.run("log", "hooli-sre", "replied", "--decision", "rejected", "--at", "2026-02-01 10:00")
    sheet = tmp_path / name
    first.run("export", str(sheet))

    second = User(tmp_path / "second.db", now=NOW)
    second.run("config", "set", "timezone", "Europe/Berlin")
    second.run("import", str(sheet))

    assert applications(second) == applications(first)
    assert len(applications(first)) == 4
    again = second.run("import", str(sheet)).stdout
    assert "0 new" in again  # idempotent: the same file adds nothing the second time
