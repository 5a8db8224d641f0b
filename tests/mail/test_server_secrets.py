"""The server keeps the seekers' mail passwords sealed with its key (issue 15): a known
password is never in the database, its dump, the PostgreSQL log or the command's output,
yet the SMTP server gets it; a token opens only for its seeker, login and host; the key
can be rotated."""

from __future__ import annotations

import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest

from followup import bootstrap
from followup.adapters.mail_hosts import ALLOWED_HOSTS, CA_FILE
from followup.adapters.secret_box import SecretBox, Where
from followup.errors import InvalidInput, MailFailed
from followup.services import settings
from tests.mail.conftest import PASSWORD, USER, SmtpServer, Tls
from tests.pg_cluster import Cluster, add_seeker

FOLLOWUP = str(Path(sys.executable).parent / "followup")
KEY = "k" * 20 + "server-key-for-the-tests"
NEW_KEY = "n" * 20 + "rotated-key-for-the-tests"


def test_a_token_opens_only_with_the_key_and_for_what_it_was_sealed() -> None:
    box = SecretBox(KEY)
    where = Where(7, "smtp", "maria", "smtp.example")
    token = box.seal(where, "pa55 word")
    assert "pa55" not in token
    assert token.startswith("gAAAAA")
    assert box.open(where, token) == "pa55 word"
    for other in (
        Where(8, "smtp", "maria", "smtp.example"),
        Where(7, "imap", "maria", "smtp.example"),
        Where(7, "smtp", "maria", "evil.example"),
    ):
        with pytest.raises(MailFailed, match="sealed for another"):
            box.open(other, token)
    with pytest.raises(MailFailed, match="cannot be read with FOLLOWUP_SECRET_KEY") as e:
        SecretBox(NEW_KEY).open(where, token)
    assert token not in str(e.value)
    rotating = SecretBox(NEW_KEY, (KEY,))
    assert rotating.open(where, token) == "pa55 word"
    resealed = rotating.reseal(token)
    assert SecretBox(NEW_KEY).open(where, resealed) == "pa55 word"
    with pytest.raises(MailFailed, match="cannot be read with any"):
        SecretBox(NEW_KEY).reseal(SecretBox("x" * 40).seal(where, "p"))


def test_a_short_or_missing_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput, match="at least 32"):
        SecretBox("short")
    monkeypatch.delenv("FOLLOWUP_SECRET_KEY", raising=False)
    with pytest.raises(InvalidInput, match="FOLLOWUP_SECRET_KEY is not set"):
        SecretBox.from_environment()
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", NEW_KEY)
    monkeypatch.setenv("FOLLOWUP_OLD_SECRET_KEYS", f" {KEY}, {'o' * 40} ")
    box = SecretBox.from_environment()
    where = Where(1, "imap", "u", "h")
    assert box.open(where, SecretBox("o" * 40).seal(where, "old")) == "old"


def _server(
    url: str, *args: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": url, "FOLLOWUP_SECRET_KEY": KEY, **extra}
    return subprocess.run(
        [FOLLOWUP, "server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_a_password_is_sealed_everywhere_and_still_logs_in(
    pg_cluster: Cluster,
    smtp_server: SmtpServer,
    tls: Tls,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    # The cluster is the worker's: its log already holds other tests' lines (test_pg_accounts
    # has the database refuse a clear account password, and PostgreSQL logs the failing
    # row). Only what is logged from here on is this test's.
    log_start = (pg_cluster.root / "server.log").stat().st_size
    url = pg_cluster.create_database("sealed_passwords")
    schema_done = _server(url, "init")
    assert schema_done.returncode == 0, schema_done.stderr
    with psycopg.connect(url, autocommit=True) as conn:  # every statement in the server's log
        conn.execute("ALTER DATABASE sealed_passwords SET log_statement = 'all'")
    seeker = add_seeker(url, "maria@example.org")
    deps = bootstrap.server_deps(seeker, url)
    request.addfinalizer(deps.store.close)  # type: ignore[attr-defined]
    settings.update(
        deps,
        {
            "mail.address": "maria@mail.example",
            "mail.smtp_host": "127.0.0.1",
            "mail.smtp_port": str(smtp_server.port),
            "mail.smtp_user": USER,
        },
    )
    kept = _server(url, "mail-password", "Maria@Example.org", "smtp", stdin=PASSWORD + "\n")
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == f"Maria@Example.org: smtp password for {USER} at 127.0.0.1 kept, sealed\n"
    nobody = _server(url, "mail-password", "nobody@example.org", "smtp", stdin="x\n")
    assert (nobody.returncode, nobody.stderr) == (
        3,
        "followup: nobody@example.org: no active seeker account\n",
    )
    no_imap = _server(url, "mail-password", "maria@example.org", "imap", stdin="x\n")
    assert no_imap.returncode == 8
    assert "mail.imap_host" in no_imap.stderr

    # The SMTP server gets the password: the login works through the sealed one (the
    # server's administrator allows the test server and trusts its CA).
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", KEY)
    monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1")
    monkeypatch.setenv(CA_FILE, str(tls.ca_file))
    mailer = bootstrap.server_mailer(deps, bootstrap.server_secret_box())
    message = EmailMessage()
    message["From"] = message["To"] = "maria@mail.example"
    message["Subject"] = "hello"
    message.set_content("hi")
    mailer.send("maria@mail.example", "maria@mail.example", message.as_bytes())
    assert len(smtp_server.received) == 1

    # Rotation: a new key, the old one kept aside, then re-sealed; the old key is not needed.
    rotated = _server(url, "rotate-key", FOLLOWUP_SECRET_KEY=NEW_KEY, FOLLOWUP_OLD_SECRET_KEYS=KEY)
    assert (rotated.returncode, rotated.stdout) == (
        0,
        "Re-sealed 1 mail password with the current key\n",
    )
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", NEW_KEY)
    bootstrap.server_mailer(deps, bootstrap.server_secret_box()).send(
        "maria@mail.example", "maria@mail.example", message.as_bytes()
    )
    assert len(smtp_server.received) == 2
    stale = _server(url, "rotate-key")  # the old key alone opens nothing any more
    assert stale.returncode == 10
    assert "FOLLOWUP_OLD_SECRET_KEYS" in stale.stderr

    # Nowhere in clear: the rows, a dump, the server's log, what the commands printed.
    with psycopg.connect(url) as conn:
        (sealed,) = conn.execute("SELECT sealed FROM mail_secret").fetchone() or ("",)
    assert sealed.startswith("gAAAAA")
    dump = subprocess.run(
        [str(pg_cluster.bin / "pg_dump"), "--dbname", url],
        capture_output=True,
        check=True,
    ).stdout
    assert b"mail_secret" in dump
    assert sealed.encode() in dump
    log = (pg_cluster.root / "server.log").read_bytes()[log_start:]
    assert b"INSERT INTO mail_secret" in log  # the log saw the statement, sealed
    outputs = "".join(r.stdout + r.stderr for r in (kept, nobody, no_imap, rotated, stale))
    for where, text in (("dump", dump), ("log", log), ("output", outputs.encode())):
        assert PASSWORD.encode() not in text, f"the password is in the {where}"
    # and no way to store one in clear
    with (
        psycopg.connect(url, autocommit=True) as conn,
        pytest.raises(psycopg.errors.CheckViolation),
    ):
        conn.execute("UPDATE mail_secret SET sealed = %s WHERE seeker_id = %s", (PASSWORD, seeker))
