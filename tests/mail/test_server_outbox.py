"""The worker sends again what certainly did not go out (issue 15, item 6), through the
real SMTP test server and a seeker's store on the real PostgreSQL: once, as it was, and
never what may have gone out, what the seeker dropped, or what another message answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg
import pytest

from followup import bootstrap
from followup.adapters.mail_hosts import ALLOWED_HOSTS, CA_FILE
from followup.adapters.secret_box import SecretBox
from followup.domain.mailbox import OutboxState
from followup.errors import NotSent, Rejected
from followup.services import mail, scheduled
from followup.services.ports import Mailer
from followup.services.session import Deps
from tests.mail.conftest import PASSWORD, USER, SmtpServer, Tls
from tests.mail.support import NOW, THANK_YOU, configure_smtp
from tests.pg_cluster import add_seeker

KEY = "o" * 24 + "-outbox-test-key-0123"


def _search(deps: Deps) -> None:
    from followup.domain.model import Role  # noqa: PLC0415
    from followup.services import applications, contacts, interviews, settings  # noqa: PLC0415

    applications.add_application(deps, "Acme", "Backend Engineer", now=NOW)
    contacts.add_contact(
        deps,
        "acme-backend-engineer",
        contacts.ContactInput("Ana Sousa", Role.INTERVIEWER, "ana@acme.example", None, True),
        now=NOW,
    )
    interviews.record_interview(
        deps,
        "acme-backend-engineer",
        interviews.InterviewInput(
            at=datetime(2026, 3, 2, 10, tzinfo=NOW.tzinfo),
            interviewers=("ana-sousa",),
            contacts_every_applicant=True,
            direct_contact_ok=True,
        ),
        now=NOW,
    )
    settings.set_value(deps, "name", "Maria Silva", now=NOW)


@contextmanager
def _mailing(
    pg_url: str, smtp_server: SmtpServer, tls: Tls, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[int, Deps, Mailer]]:
    """A new seeker with a search and the test SMTP server set up, and their mailer."""
    # The server's administrator allows the test server on 127.0.0.1 and trusts its CA.
    monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1")
    monkeypatch.setenv(CA_FILE, str(tls.ca_file))
    seeker = add_seeker(pg_url)
    with bootstrap.server_seeker_deps(seeker, pg_url) as deps:
        _search(deps)
        configure_smtp(deps, smtp_server.port, None)
        box = SecretBox(KEY)
        bootstrap.server_mail_secrets(deps, box).keep("smtp", USER, "127.0.0.1", PASSWORD)
        yield seeker, deps, bootstrap.server_mailer(deps, box)


def test_what_did_not_go_out_is_sent_again_once(
    pg_url: str, smtp_server: SmtpServer, tls: Tls, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _mailing(pg_url, smtp_server, tls, monkeypatch) as (seeker, deps, mailer):
        smtp_server.mode = "busy"  # 451: for now
        with pytest.raises(NotSent):
            mail.send(deps, mailer, mail.compose(deps, THANK_YOU, NOW), NOW)
        assert mail.outbox(deps)[0].state is OutboxState.FAILED
        smtp_server.mode = "accept"
        assert scheduled.retry_outbox(deps, mailer, NOW + timedelta(minutes=1)) == []  # too soon
        later = NOW + timedelta(minutes=11)
        (entry_id,) = scheduled.retry_outbox(deps, mailer, later)
        assert scheduled.retry_outbox(deps, mailer, later + timedelta(minutes=30)) == []
        assert len(smtp_server.received) == 1
        assert mail.outbox(deps) == []  # sent, and recorded as a touch

        # Answered by the message sent, dropped by the seeker, tried too long ago, or refused
        # for good: each a failed copy of it, and none is sent again.
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for n, (action, error, age) in enumerate(
                [
                    (THANK_YOU, "refused", "0"),
                    ("other:acme-backend-engineer", mail.DROPPED, "0"),
                    ("late:acme-backend-engineer", "refused", "2 days"),
                    ("bad:acme-backend-engineer", f"{mail.REFUSED_FOR_GOOD}550 no", "0"),
                ]
            ):
                conn.execute(
                    "INSERT INTO outbox (seeker_id, action_id, application_id, contact_id,"
                    " purpose, message_id, sender, recipient, subject, message, state, error,"
                    " created_at, updated_at) SELECT seeker_id, %s, application_id, contact_id,"
                    " purpose, %s, sender, recipient, subject, message, 'failed', %s,"
                    " %s - %s::interval, %s - interval '1 hour' FROM outbox"
                    " WHERE seeker_id = %s AND id = %s",
                    (action, f"<copy{n}@x>", error, later, age, later, seeker, entry_id),
                )
        assert len(mail.outbox(deps)) == 4
        assert scheduled.retry_outbox(deps, mailer, later) == []
        assert (
            bootstrap.server_schedule(pg_url).mail_readers(timedelta(days=3650)).count(seeker) == 1
        )  # the worker looks at this seeker's outbox
    assert len(smtp_server.received) == 1
    assert entry_id > 0


def test_a_refusal_for_good_waits_for_the_seeker(
    pg_url: str, smtp_server: SmtpServer, tls: Tls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 550 is not tried again by the worker (it would meet the same answer), and the
    seeker can still send it again by hand once they corrected what was wrong."""
    with _mailing(pg_url, smtp_server, tls, monkeypatch) as (_, deps, mailer):
        smtp_server.mode = "refuse"
        with pytest.raises(Rejected, match="550 no such user"):
            mail.send(deps, mailer, mail.compose(deps, THANK_YOU, NOW), NOW)
        smtp_server.mode = "accept"
        later = NOW + timedelta(minutes=11)
        assert scheduled.retry_outbox(deps, mailer, later) == []
        assert smtp_server.received == []
        (failed,) = mail.outbox(deps)
        assert failed.error == f"{mail.REFUSED_FOR_GOOD}the server refused the recipient" + (
            f" {failed.recipient}: 550 no such user"
        )
        mail.retry(deps, mailer, failed.id, later)
        assert len(smtp_server.received) == 1
        assert mail.outbox(deps) == []
