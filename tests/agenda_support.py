"""A job search in Lisbon the week the clocks change, for the calendar and digest tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followup import bootstrap
from followup.services import interchange
from followup.services.session import Deps

#: Wednesday 25 March 2026, 08:00 in Lisbon (WET = UTC); summer time starts on Sunday 29.
NOW = datetime(2026, 3, 25, 8, tzinfo=UTC)
NOTES = 'Team of 6; ask about "on-call", bonus & visa.\nSecond line\\ with a backslash'

SAMPLE: dict[str, Any] = {
    "format": "followup/1",
    "settings": {"timezone": "Europe/Lisbon", "country": "PT"},
    "applications": [
        {
            "id": "acme-backend",
            "company": "Acme",
            "position": "Backend Engineer",
            "applied_on": "2026-03-02",
            "notes": NOTES,
            "contacts": [
                {"id": "ana", "name": "Ana Sousa", "role": "interviewer",
                 "email": "ana@acme.example", "phone": "+351 912 345 678",
                 "name_confirmed": True},
            ],
            "interviews": [
                {"id": "iv1", "at": "2026-03-16T10:00:00+00:00", "interviewers": ["ana"],
                 "contacts_every_applicant": True, "direct_contact_ok": True,
                 "contact_window": {"days": ["tue", "thu"], "start": "10:00", "end": "12:00"},
                 "answer_by": "2026-03-27"},
            ],
            "touches": [
                {"at": "2026-03-18T09:00:00+00:00", "contact": "ana", "channel": "email",
                 "purpose": "thank_you", "outcome": "sent"},
            ],
        },
        {
            "id": "globex-data",
            "company": "Globex; Data, Inc.\\",
            "position": "Data Analyst",
            "applied_on": "2026-03-05",
            "contacts": [
                {"id": "bruno", "name": "Bruno Marques", "role": "interviewer",
                 "email": "bruno@globex.example", "name_confirmed": True},
            ],
            "interviews": [
                {"id": "iv1", "at": "2026-03-20T15:00:00+00:00", "interviewers": ["bruno"],
                 "contacts_every_applicant": True, "direct_contact_ok": True},
            ],
        },
        {
            "id": "initech-frontend",
            "company": "Initech",
            "position": "Frontend Developer",
            "applied_on": "2026-03-20",
            "interviews": [{"id": "iv1", "at": "2026-03-30T09:00:00+00:00"}],
        },
    ],
}  # fmt: skip


def job_search(db: Path, now: datetime = NOW, sample: dict[str, Any] | None = None) -> Deps:
    deps = bootstrap.build(str(db), now)
    interchange.import_data(deps, sample or SAMPLE, now=now)
    return deps
