"""Two applications at Acme, both waiting for a status call: R13 spaces them a week apart.

Used by the tests of in-place updates (issue 8): a call at one must move the other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from followup import bootstrap
from followup.domain.model import Outcome, Purpose, Role
from followup.services import applications, contacts, interviews, touches
from tests.web_support import Site

#: A Monday morning; both interviews were the week before last.
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def two_at_acme(db: Path, now: datetime = NOW) -> None:
    deps = bootstrap.build(str(db), clock=None)
    try:
        for app_id, position, person, day in (
            ("acme-backend", "Backend Engineer", "Ana Sousa", 16),
            ("acme-data", "Data Engineer", "Bruno Reis", 18),
        ):
            applications.add_application(
                deps, "Acme", position, applied_on=date(2026, 2, 2), app_id=app_id, now=now
            )
            contact, _ = contacts.add_contact(
                deps,
                app_id,
                contacts.ContactInput(
                    name=person,
                    role=Role.INTERVIEWER,
                    email=f"{person.split()[0].lower()}@acme.example",
                    phone="+351 912 345 678",
                    name_confirmed=True,
                ),
                now=now,
            )
            interviews.record_interview(
                deps,
                app_id,
                interviews.InterviewInput(
                    at=datetime(2026, 2, day, 10, tzinfo=UTC),
                    interviewers=(contact.id,),
                    contacts_every_applicant=True,
                    direct_contact_ok=True,
                ),
                now=now,
            )
            touches.log_touch(
                deps,
                app_id,
                touches.TouchInput(
                    outcome=Outcome.SENT,
                    purpose=Purpose.THANK_YOU,
                    at=datetime(2026, 2, day + 1, 9, tzinfo=UTC),
                ),
                now=now,
            )
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def acme_site(tmp_path: Path, now: datetime = NOW) -> Site:
    s = Site(tmp_path / "acme.db", now)
    two_at_acme(s.db, now)
    return s
