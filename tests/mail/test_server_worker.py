"""The server's worker (issue 15, item 6), as real processes on the real PostgreSQL with
the real SMTP and IMAP test servers: two workers send each person's digest once, at 08:00
in their own zone; a worker killed with SIGKILL while handing a digest over has its job
run again elsewhere, which sends nothing twice; replies are read and recorded."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from aiosmtpd.controller import Controller

from followup import bootstrap
from followup.adapters.mail_hosts import ALLOWED_HOSTS, CA_FILE
from followup.adapters.postgres import schema
from followup.adapters.secret_box import SecretBox
from followup.domain.model import Role
from followup.services import applications, contacts, settings
from tests.mail.conftest import PASSWORD, USER, Dovecot, Received, Tls, _authenticate, free_port
from tests.pg_cluster import Cluster, add_seeker

FOLLOWUP = str(Path(sys.executable).parent / "followup")
KEY = "w" * 24 + "-worker-test-key-0123"
PUBLIC = "https://followup.example.org"


def zone_at(local_hour: int) -> str:
    """A fixed-offset IANA zone where it is now about ``local_hour`` o'clock."""
    offset = (local_hour - datetime.now(UTC).hour + 12) % 24 - 12
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs: inverted


@dataclass
class HoldingSmtp:
    """An SMTP server that keeps each message, then (when ``hold`` is set) does not answer
    until ``release`` is: the sender is stuck after handing the message over."""

    port: int
    received: list[Received] = field(default_factory=list)
    hold: threading.Event = field(default_factory=threading.Event)
    got: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        self.got.set()
        while self.hold.is_set() and not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 OK queued"


@pytest.fixture
def holding_smtp(tls: Tls) -> Iterator[HoldingSmtp]:
    server = HoldingSmtp(free_port())
    controller = Controller(
        server,
        hostname="127.0.0.1",
        port=server.port,
        tls_context=tls.server_context(),
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )
    controller.start()
    yield server
    server.release.set()
    controller.stop()


def new_database(cluster: Cluster) -> str:
    url = cluster.create_database(f"worker_{uuid.uuid4().hex[:10]}")
    schema.init(url)
    return url


def seeker_with_mail(
    url: str, tls: Tls, smtp_port: int, zone: str, *, digest: bool = True, **mail: str
) -> tuple[int, str]:
    """A seeker in ``zone`` whose SMTP login is sealed in the database; its address."""
    seeker = add_seeker(url)
    address = f"seeker{seeker}@mail.example"
    with bootstrap.server_seeker_deps(seeker, url) as deps:
        applied = datetime.now(UTC).date() - timedelta(days=10)  # a follow-up is due
        applications.add_application(deps, f"Acme {seeker}", "Engineer", applied_on=applied)
        settings.update(
            deps,
            {
                "timezone": zone,
                "mail.address": address,
                "mail.smtp_host": "127.0.0.1",
                "mail.smtp_port": str(smtp_port),
                "mail.smtp_user": USER,
                **mail,
            },
        )
        secrets = bootstrap.server_mail_secrets(deps, SecretBox(KEY))
        secrets.keep("smtp", USER, "127.0.0.1", PASSWORD)
        if "mail.imap_host" in mail:
            secrets.keep("imap", USER, "127.0.0.1", PASSWORD)
    bootstrap.server_schedule(url).set_digest(seeker, digest)
    return seeker, address


@contextmanager
def workers(
    url: str,
    folder: Path,
    tls: Tls,
    *options: str,
    stalled_after: str = "10",
    public_url: str | None = None,
) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start workers with ``start()``; each is stopped (SIGTERM) at the end and its log
    checked for the password. A worker is taken for dead after ``stalled_after`` seconds
    without a heartbeat: short only where a test kills one (a loaded machine may delay a
    live worker's heartbeat). The server's administrator allows the test servers on
    127.0.0.1 and trusts their CA; ``public_url`` is where the web app would be."""
    started: list[tuple[subprocess.Popen[bytes], Path]] = []
    env = {
        **os.environ,
        "FOLLOWUP_DATABASE_URL": url,
        "FOLLOWUP_SECRET_KEY": KEY,
        ALLOWED_HOSTS: "127.0.0.1",
        CA_FILE: str(tls.ca_file),
    }
    env.pop("FOLLOWUP_PUBLIC_URL", None)
    if public_url is not None:
        env["FOLLOWUP_PUBLIC_URL"] = public_url

    def start() -> subprocess.Popen[bytes]:
        log = folder / f"worker{len(started)}.log"
        command = [FOLLOWUP, "server", "worker", "--tick", "1", "--stalled-after", stalled_after]
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*command, *options],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        started.append((process, log))
        return process

    try:
        yield start
    finally:
        for process, _ in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    for _, log in started:
        text = log.read_bytes()
        assert PASSWORD.encode() not in text, f"the password is in {log.name}"
        assert b"Traceback" not in text, text.decode(errors="replace")[-3000:]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def rows(url: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def test_two_workers_send_each_digest_once_at_eight_local(
    pg_cluster: Cluster, holding_smtp: HoldingSmtp, tls: Tls, tmp_path: Path
) -> None:
    url = new_database(pg_cluster)
    noon, early = zone_at(12), zone_at(4)
    a, a_address = seeker_with_mail(url, tls, holding_smtp.port, noon)
    b, b_address = seeker_with_mail(url, tls, holding_smtp.port, noon)
    seeker_with_mail(url, tls, holding_smtp.port, early)  # 04:00 there: not yet
    seeker_with_mail(url, tls, holding_smtp.port, noon, digest=False)  # did not ask
    with workers(url, tmp_path, tls, public_url=f"{PUBLIC}/") as start:
        start()
        start()
        wait_for(lambda: len(holding_smtp.received) >= 2, 60, "two digests")
        time.sleep(5)  # five more ticks on each worker: nothing more goes out
        registered = rows(url, "SELECT count(*) FROM procrastinate_workers")
    assert registered == [(2,)]
    assert sorted(r.recipients[0] for r in holding_smtp.received) == sorted([a_address, b_address])
    for message in holding_smtp.received:
        assert b"Subject: followup:" in message.data
        assert b"Auto-Submitted: auto-generated" in message.data
        # Links to the web app: each action's application, and the Today page.
        seeker = a if message.recipients == [a_address] else b
        assert f"{PUBLIC}/applications/acme-{seeker}-engineer\r\n".encode() in message.data
        assert f"on your Today page: {PUBLIC}/\r\n".encode() in message.data
        assert b"followup done" not in message.data  # the local mode's advice
    day = datetime.now(UTC).astimezone(ZoneInfo(noon)).date()
    assert rows(url, "SELECT seeker_id, day, state FROM digest_delivery ORDER BY 1") == [
        (a, day, "sent"),
        (b, day, "sent"),
    ]
    jobs = rows(
        url,
        "SELECT args->>'seeker', status FROM procrastinate_jobs"
        " WHERE task_name = 'followup.digest' ORDER BY 1",
    )
    assert jobs == [(str(a), "succeeded"), (str(b), "succeeded")]
    ticks = rows(
        url,
        "SELECT count(*), count(DISTINCT defer_timestamp) FROM procrastinate_periodic_defers",
    )
    assert ticks[0][0] == ticks[0][1]  # one tick per instant, whatever the workers


def test_a_worker_killed_while_sending_has_its_job_run_again_without_a_second_mail(
    pg_cluster: Cluster, holding_smtp: HoldingSmtp, tls: Tls, tmp_path: Path
) -> None:
    url = new_database(pg_cluster)
    seeker, address = seeker_with_mail(url, tls, holding_smtp.port, zone_at(12))
    holding_smtp.hold.set()
    with workers(url, tmp_path, tls, stalled_after="3") as start:
        first = start()
        wait_for(holding_smtp.got.is_set, 60, "the digest to be handed over")
        assert rows(url, "SELECT state FROM digest_delivery") == [("sending",)]
        first.send_signal(signal.SIGKILL)  # mid-job: the server has the message, no answer
        first.wait(timeout=10)
        holding_smtp.release.set()
        start()  # sees the first one's heartbeat stop, hands its job back, runs it again
        wait_for(
            lambda: rows(url, "SELECT state FROM digest_delivery") == [("unsure",)],
            60,
            "the job to run again",
        )
        job = rows(
            url,
            "SELECT id, status, attempts FROM procrastinate_jobs"
            " WHERE task_name = 'followup.digest'",
        )
        wait_for(
            lambda: (
                rows(url, "SELECT status FROM procrastinate_jobs WHERE id = %s", job[0][0])
                == [("succeeded",)]
            ),
            30,
            "the job to finish",
        )
        time.sleep(3)
    assert [r.recipients for r in holding_smtp.received] == [[address]]
    # No FOLLOWUP_PUBLIC_URL: no links (nor the local mode's advice), and the log says so.
    assert b"http" not in holding_smtp.received[0].data.split(b"\r\n\r\n", 1)[1]
    assert b"Record what you did in followup's web app." in holding_smtp.received[0].data
    assert b"FOLLOWUP_PUBLIC_URL is not set" in (tmp_path / "worker1.log").read_bytes()
    started = rows(
        url,
        "SELECT count(*) FROM procrastinate_events WHERE job_id = %s AND type = 'started'",
        job[0][0],
    )
    assert started == [(2,)]  # it ran twice: once killed, once to the end
    assert rows(url, "SELECT seeker_id FROM digest_delivery") == [(seeker,)]


def test_the_worker_reads_each_mailbox_and_records_the_replies(
    pg_cluster: Cluster, holding_smtp: HoldingSmtp, dovecot: Dovecot, tls: Tls, tmp_path: Path
) -> None:
    url = new_database(pg_cluster)
    folder = f"Worker-{uuid.uuid4().hex[:8]}"
    dovecot.create(folder)
    seeker, _ = seeker_with_mail(
        url,
        tls,
        holding_smtp.port,
        "UTC",
        digest=False,
        **{
            "mail.imap_host": "127.0.0.1",
            "mail.imap_port": str(dovecot.ssl_port),
            "mail.imap_security": "ssl",
            "mail.imap_user": USER,
            "mail.folders": folder,
        },
    )
    with bootstrap.server_seeker_deps(seeker, url) as deps:
        with deps.store.reading() as repo:
            app_id = next(iter(repo.applications())).id
        contacts.add_contact(
            deps,
            app_id,
            contacts.ContactInput("Ana Sousa", Role.HR, "ana@acme.example", None, True),
        )
    reply = EmailMessage()
    reply["From"] = "Ana Sousa <ana@acme.example>"
    reply["To"] = "seeker@mail.example"
    reply["Subject"] = "Your application"
    reply["Date"] = format_datetime(datetime.now(UTC))
    reply["Message-ID"] = make_msgid(domain="acme.example")
    reply.set_content("Thank you for your patience, we are still looking at applications.")
    dovecot.append(reply.as_bytes(), folder)
    with psycopg.connect(url, autocommit=True) as conn:  # finished four days ago: deleted
        (old_job,) = conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, status, args)"
            " VALUES ('mail', 'followup.sync', 'succeeded', '{}') RETURNING id"
        ).fetchone() or (0,)
        conn.execute(
            "INSERT INTO procrastinate_events (job_id, type, at)"
            " VALUES (%s, 'succeeded', now() - interval '4 days')",
            (old_job,),
        )
    with workers(url, tmp_path, tls, "--sync-every", "2") as start:
        start()
        start()
        wait_for(
            lambda: (
                rows(
                    url,
                    "SELECT count(*) FROM touch WHERE seeker_id = %s AND outcome = 'replied'",
                    seeker,
                )
                == [(1,)]
            ),
            60,
            "the reply to be recorded",
        )
        time.sleep(4)  # more readings: recorded once
        kept = rows(url, "SELECT count(*) FROM procrastinate_jobs WHERE id = %s", old_job)
    assert kept == [(0,)]
    assert rows(
        url, "SELECT count(*), min(message_id) FROM touch WHERE seeker_id = %s", seeker
    ) == [(1, reply["Message-ID"])]


def test_the_queue_schema_is_procrastinates_own() -> None:
    """Migration 0004 holds procrastinate's schema.sql of the pinned version, verbatim: a
    new procrastinate that changes it needs a new migration (and this test says so)."""
    from importlib import resources  # noqa: PLC0415

    shipped = (resources.files("procrastinate.sql") / "schema.sql").read_bytes()
    ours = {Path(p).name: Path(p) for _, p in schema.migrations()}
    assert ours["0004_mail_secrets_and_jobs.sql"].read_bytes().endswith(shipped), (
        "procrastinate's schema changed: add a migration with its migration files"
    )


def test_a_worker_that_cannot_start_says_why_in_one_line(pg_cluster: Cluster) -> None:
    empty = pg_cluster.create_database(f"worker_empty_{uuid.uuid4().hex[:8]}")
    ready = new_database(pg_cluster)
    cases = [
        (empty, KEY, 6, "has no followup schema yet; run `followup server init` first"),
        (ready, "", 4, "FOLLOWUP_SECRET_KEY is not set"),
        (ready, "too-short", 4, "FOLLOWUP_SECRET_KEY: 9 characters, at least 32 needed"),
    ]
    for url, key, code, message in cases:
        env = {**os.environ, "FOLLOWUP_DATABASE_URL": url, "FOLLOWUP_SECRET_KEY": key}
        done = subprocess.run(
            [FOLLOWUP, "server", "worker"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert done.returncode == code, done.stderr
        assert message in done.stderr
        assert done.stderr.count("\n") == 1
