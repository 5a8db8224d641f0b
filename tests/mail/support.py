"""A job search with one thank-you to send, and the mail settings to reach the test servers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from followup import bootstrap
from followup.domain.model import Role
from followup.services import applications, contacts, interviews, settings
from followup.services.session import Deps
from tests.mail.conftest import USER, Tls

NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
APP = "acme-backend-engineer"
THANK_YOU = f"thank_you_email:{APP}:iv1:ana-sousa"


def search(db: Path) -> Deps:
    deps = bootstrap.build(str(db), NOW)
    applications.add_application(deps, "Acme", "Backend Engineer", now=NOW)
    contacts.add_contact(
        deps,
        APP,
        contacts.ContactInput("Ana Sousa", Role.INTERVIEWER, "ana@acme.example", None, True),
        now=NOW,
    )
    interviews.record_interview(
        deps,
        APP,
        interviews.InterviewInput(
            at=datetime(2026, 3, 2, 10, tzinfo=UTC),
            interviewers=("ana-sousa",),
            contacts_every_applicant=True,
            direct_contact_ok=True,
        ),
        now=NOW,
    )
    settings.set_value(deps, "name", "Maria Silva", now=NOW)
    return deps


def configure_smtp(deps: Deps, port: int, tls: Tls | None, security: str = "starttls") -> None:
    changes = {
        "mail.address": "maria@mail.example",
        "mail.smtp_host": "127.0.0.1",
        "mail.smtp_port": str(port),
        "mail.smtp_security": security,
        "mail.smtp_user": USER,
    }
    if tls is not None:
        changes["mail.ca_file"] = str(tls.ca_file)
    settings.update(deps, changes, now=NOW)


def configure_imap(
    deps: Deps, port: int, tls: Tls, security: str = "ssl", folders: str = "INBOX"
) -> None:
    settings.update(
        deps,
        {
            "mail.address": "maria@mail.example",
            "mail.imap_host": "127.0.0.1",
            "mail.imap_port": str(port),
            "mail.imap_security": security,
            "mail.imap_user": USER,
            "mail.folders": folders,
            "mail.ca_file": str(tls.ca_file),
        },
        now=NOW,
    )
