"""A seeker's mail on the server's Settings page (issue 15, item 5), on the real PostgreSQL
with the real SMTP test server: settings, write-only passwords sealed with the server's
key, the digest switch; the allow-list that keeps a seeker off the server's files and
private network, checked when saved and again when the server connects."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import httpx2
import psycopg
import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.adapters.imap import ImapMailbox
from followup.adapters.mail_hosts import ALLOWED_HOSTS, CA_FILE
from followup.adapters.postgres import schema
from followup.adapters.smtp import SmtpMailer
from followup.domain.accounts import Account
from followup.domain.mailbox import MailSettings, Security
from followup.errors import MailFailed, NotSent
from followup.services import settings, signin
from tests.integration.test_pg_server_run import env_of, followup, serving
from tests.integration.test_pg_server_run import sign_in as run_sign_in
from tests.mail.conftest import PASSWORD, USER, Dovecot, SmtpServer, Tls
from tests.pg_cluster import Cluster
from tests.server_support import add, client, configure, csrf_of, sign_in
from tests.web_support import site
from tests.web_support import token as api_token

IMAP_PASSWORD = "imap-Secret-Walrus-2209"


@pytest.fixture
def seeker(monkeypatch: pytest.MonkeyPatch, pg_url: str, tls: Tls) -> Account:
    """A seeker on a server whose administrator allows the test servers on 127.0.0.1
    (FOLLOWUP_MAIL_ALLOWED_HOSTS) and trusts the test CA for them."""
    configure(monkeypatch, pg_url)
    monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1, imap.test")
    monkeypatch.setenv(CA_FILE, str(tls.ca_file))
    return add()


@pytest.fixture
def signed_in(seeker: Account) -> Iterator[TestClient]:
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        yield c


def post(c: TestClient, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    """Post a form of the Settings page; (status, where it redirects, the page)."""
    token = csrf_of(c.get("/settings").text)
    r = c.post(path, data={"csrf_token": token, **data})
    return r.status_code, r.headers.get("location", ""), r.text


def mail_form(smtp_port: int, **more: str) -> dict[str, str]:
    return {
        "mail.address": "maria@mail.example",
        "mail.smtp_host": "127.0.0.1",
        "mail.smtp_port": str(smtp_port),
        "mail.smtp_security": "starttls",
        "mail.smtp_user": USER,
        "mail.imap_host": "imap.test",
        "mail.imap_port": "993",
        "mail.imap_security": "ssl",
        "mail.imap_user": USER,
        "mail.folders": "INBOX",
        "mail.since": "",
        "digest_shown": "1",
        **more,
    }


def states(page: str) -> list[str]:
    """What the page says of the SMTP and the IMAP password."""
    return re.findall(r"[A-Z]{4} password: <strong>([^<]*)</strong>", page)


def written(url: str, seeker: int) -> list[tuple[object, ...]]:
    """The seeker's settings, their count of changes, their digest switch."""
    return rows(
        url,
        "SELECT key, value, changes, digest_by_email FROM setting JOIN seeker ON id = seeker_id"
        " WHERE seeker_id = %s ORDER BY key",
        seeker,
    )


def rows(url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def send_one(seeker: int, url: str) -> None:
    deps = bootstrap.server_deps(seeker, url)
    try:
        message = EmailMessage()
        message["From"] = message["To"] = "maria@mail.example"
        message["Subject"] = "hello"
        message.set_content("hi")
        mailer = bootstrap.server_mailer(deps, bootstrap.server_secret_box())
        mailer.send("maria@mail.example", "maria@mail.example", message.as_bytes())
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def test_a_seeker_sets_their_mail_and_passwords_that_are_never_shown_back(
    signed_in: TestClient, seeker: Account, pg_url: str, smtp_server: SmtpServer
) -> None:
    c = signed_in
    page = c.get("/settings").text
    assert "SMTP password:" in page
    assert states(page) == ["not set", "not set"]
    assert "UTC" in page  # the zone the digest would be sent in

    form = mail_form(
        smtp_server.port,
        **{"mail.smtp_password": PASSWORD, "mail.imap_password": IMAP_PASSWORD, "digest": "on"},
    )
    status, where, _ = post(c, "/settings/mail", form)
    assert (status, where) == (303, "/settings?mail=saved#mail")
    page = c.get(where).text
    assert "Mail settings saved." in page
    assert states(page) == ["set", "set"]
    assert 'name="mail.smtp_password" value=""' in page
    assert PASSWORD not in page
    assert IMAP_PASSWORD not in page
    assert 'name="digest" value="on" checked' in page
    assert rows(pg_url, "SELECT digest_by_email FROM seeker WHERE id = %s", seeker.id) == [(True,)]
    sealed = rows(
        pg_url,
        "SELECT kind, login, host, sealed FROM mail_secret WHERE seeker_id = %s ORDER BY kind",
        seeker.id,
    )
    assert [r[:3] for r in sealed] == [("imap", USER, "imap.test"), ("smtp", USER, "127.0.0.1")]
    assert all(str(r[3]).startswith("gAAAAA") for r in sealed)

    # The SMTP server gets the password: the login works through the sealed one.
    send_one(seeker.id, pg_url)
    assert len(smtp_server.received) == 1

    # Another login without its password: the one kept for the old login is forgotten.
    status, where, _ = post(
        c, "/settings/mail", mail_form(smtp_server.port, **{"mail.smtp_user": "other"})
    )
    assert (status, where) == (303, "/settings?mail=saved&stale=smtp#mail")
    page = c.get(where).text
    assert "The SMTP password was for the previous server or login" in page
    assert [
        r[0] for r in rows(pg_url, "SELECT kind FROM mail_secret WHERE seeker_id = %s", seeker.id)
    ] == ["imap"]
    with pytest.raises(NotSent, match=r"no password for other at 127\.0\.0\.1"):
        send_one(seeker.id, pg_url)

    # Forget the IMAP one; turn the digest off (the box unticked).
    status, where, _ = post(c, "/settings/mail/forget", {"kind": "imap"})
    assert (status, where) == (303, "/settings?mail=forgot#mail")
    assert rows(pg_url, "SELECT kind FROM mail_secret WHERE seeker_id = %s", seeker.id) == []
    assert post(c, "/settings/mail", mail_form(smtp_server.port))[0] == 303
    assert rows(pg_url, "SELECT digest_by_email FROM seeker WHERE id = %s", seeker.id) == [(False,)]
    assert states(c.get("/settings").text) == ["not set", "not set"]


#: (field, value, what the refusal says)
REFUSED = [
    ("mail.smtp_host", "10.1.2.3", "mail.smtp_host: 10.1.2.3 is not on the public internet (private address)"),
    ("mail.smtp_host", "169.254.169.254", "(link-local address)"),
    ("mail.smtp_host", "localhost", "mail.smtp_host: localhost (127.0.0.1) is not on the public internet (loopback address)"),
    ("mail.imap_host", "127.0.0.2", "mail.imap_host: 127.0.0.2 is not on the public internet (loopback"),
    ("mail.imap_host", "::1", "(loopback address)"),
    ("mail.imap_host", "::ffff:10.0.0.1", "(private address)"),
    ("mail.smtp_host", "100.64.0.7", "(not public address)"),
    ("mail.smtp_host", "0.0.0.0", "(unspecified address)"),
    ("mail.smtp_host", "no-such-host.invalid", "mail.smtp_host: no-such-host.invalid cannot be found"),
    ("mail.ca_file", "/etc/passwd", "mail.ca_file cannot be set on the server"),
    ("mail.allow_plaintext_local", "yes", "mail.allow_plaintext_local cannot be set on the server"),
    ("mail.smtp_security", "none", "mail.smtp_security: none (no TLS) is not allowed on the server"),
    ("mail.smtp_port", "99999", "mail.smtp_port: '99999' is not a port number"),
    ("mail.smtp_password", "two\nlines", "mail.smtp_password: it holds a line break"),
]  # fmt: skip


def test_the_allow_list_refuses_what_a_shared_server_must_not_reach(
    signed_in: TestClient, seeker: Account, pg_url: str
) -> None:
    signed_in.get("/settings")  # the first page of a search saves its settings
    before = written(pg_url, seeker.id)
    for field, value, said in REFUSED:
        form = mail_form(465, **{"mail.imap_password": IMAP_PASSWORD, "digest": "on", field: value})
        status, _, page = post(signed_in, "/settings/mail", form)
        assert status == 422, field
        assert said in page.replace("&#39;", "'"), (field, value)
        assert IMAP_PASSWORD not in page  # a refused form never shows a password back
        # Nothing of it was written: not the other settings, the password, the digest.
        assert written(pg_url, seeker.id) == before
        kept = rows(pg_url, "SELECT count(*) FROM mail_secret WHERE seeker_id = %s", seeker.id)
        assert kept == [(0,)]


def test_an_allowed_host_is_the_administrator_s_and_the_digest_needs_an_address(
    signed_in: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOWED_HOSTS)  # the next page's services read it afresh
    status, _, page = post(signed_in, "/settings/mail", mail_form(465))
    assert status == 422
    assert "mail.smtp_host: 127.0.0.1 is not on the public internet (loopback address)" in page
    assert "FOLLOWUP_MAIL_ALLOWED_HOSTS" in page
    monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1 imap.test")
    status, _, page = post(
        signed_in, "/settings/mail", mail_form(465, **{"mail.address": "", "digest": "on"})
    )
    assert status == 422
    assert "digest: set your address and your outgoing (SMTP) server first" in page
    status, _, page = post(
        signed_in,
        "/settings/mail",
        mail_form(465, **{"mail.smtp_host": "", "mail.smtp_password": "x"}),
    )
    assert status == 422
    assert "mail.smtp_password: set the SMTP server and login first" in page


def test_the_server_checks_again_when_it_connects(
    signed_in: TestClient,
    seeker: Account,
    pg_url: str,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = mail_form(smtp_server.port, **{"mail.smtp_password": PASSWORD})
    assert post(signed_in, "/settings/mail", form)[0] == 303
    # The administrator no longer allows the host: nothing goes there, whatever was saved.
    monkeypatch.setenv(ALLOWED_HOSTS, "imap.test")
    with pytest.raises(NotSent, match=r"127\.0\.0\.1 is not on the public internet"):
        send_one(seeker.id, pg_url)
    assert smtp_server.received == []
    deps = bootstrap.server_deps(seeker.id, pg_url)
    try:
        # A name that resolves to this machine, saved before the rules (or by another way).
        settings.update(deps, {"mail.imap_host": "localhost"})
        mailbox = bootstrap.server_mailbox(deps, bootstrap.server_secret_box())
        with pytest.raises(MailFailed, match=r"localhost \(127\.0\.0\.1\) is not on the public"):
            mailbox.check()
        # A settings row that names a file on the server is refused when used.
        monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1")
        settings.update(deps, {"mail.ca_file": "/etc/ssl/certs/ca-certificates.crt"})
    finally:
        deps.store.close()  # type: ignore[attr-defined]
    with pytest.raises(NotSent, match=r"mail\.ca_file cannot be set on the server"):
        send_one(seeker.id, pg_url)
    assert smtp_server.received == []


def test_the_local_app_has_no_mail_form(tmp_path: Path) -> None:
    with site(tmp_path).client() as c:
        assert 'id="mail"' not in c.get("/settings").text
        token = csrf_of(c.get("/settings").text)
        assert c.post("/settings/mail", data={"csrf_token": token}).status_code == 404
        assert c.get("/api/settings/mail").status_code == 404
        put = c.put("/api/settings/mail", json={}, headers={"x-csrf-token": api_token(c)})
        assert put.status_code == 404


def test_a_password_given_on_the_page_is_nowhere_in_clear(
    pg_cluster: Cluster, tls: Tls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``followup server run`` as a real process: the passwords typed in the Settings page
    are not in the database, a ``pg_dump`` of it, PostgreSQL's log of every statement, the
    server's output, nor any page (a refused form included)."""
    url = pg_cluster.create_database("mail_settings_web")
    schema.init(url)
    with psycopg.connect(url, autocommit=True) as conn:  # every statement in the server's log
        conn.execute("ALTER DATABASE mail_settings_web SET log_statement = 'all'")
    log_start = (pg_cluster.root / "server.log").stat().st_size
    monkeypatch.setenv(ALLOWED_HOSTS, "127.0.0.1, imap.test")
    monkeypatch.setenv(CA_FILE, str(tls.ca_file))
    email, login = "web-mail@example.org", "a long web password 5150"
    added = followup(env_of(url), "user", "add", email, "--password-stdin", stdin=login + "\n")
    assert added.returncode == 0, added.stderr
    secrets = (PASSWORD, IMAP_PASSWORD)
    pages = []
    with (
        serving(url, tmp_path) as (base, server),
        httpx2.Client(base_url=base, follow_redirects=False, timeout=30) as http,
    ):
        assert run_sign_in(http, email, login).status_code == 303
        token = csrf_of(http.get("/settings").text)
        form = mail_form(
            2525,
            **{"mail.smtp_password": PASSWORD, "mail.imap_password": IMAP_PASSWORD, "digest": "on"},
        )
        refused = http.post(
            "/settings/mail", data={**form, "csrf_token": token, "mail.imap_host": "10.0.0.9"}
        )
        assert refused.status_code == 422
        pages.append(refused.text)
        saved = http.post("/settings/mail", data={**form, "csrf_token": token})
        assert saved.status_code == 303, saved.text
        for path in (
            "/", "/applications", "/week", "/history", "/insights", "/report", "/account",
            "/settings", "/settings?mail=saved", "/settings/export", "/api/settings",
            "/api/export", "/api/plan",
        ):  # fmt: skip
            page = http.get(path)
            assert page.status_code == 200, path
            pages.append(page.text)
        assert states(pages[-5]) == ["set", "set"]
        server.terminate()
        out, err = server.communicate(timeout=30)
    sealed = rows(url, "SELECT sealed FROM mail_secret ORDER BY kind")
    assert len(sealed) == 2
    dump = subprocess.run(
        [str(pg_cluster.bin / "pg_dump"), "--dbname", url],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert email in dump  # the dump is of this database...
    assert all(str(s[0]) in dump for s in sealed)  # ...and holds the sealed tokens
    log = (pg_cluster.root / "server.log").read_bytes()[log_start:].decode(errors="replace")
    assert "INSERT INTO mail_secret" in log  # the log saw the statement, sealed
    with psycopg.connect(url) as conn:  # every text column of every table of the database
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
        everything = "".join(
            str(conn.execute(f'SELECT t::text FROM "{name}" AS t').fetchall()) for (name,) in tables
        )
    for secret in secrets:
        for where, text in (
            ("the database", everything), ("its dump", dump), ("PostgreSQL's log", log),
            ("the server's output", out + err), ("a page", "".join(pages)),
        ):  # fmt: skip
            assert secret not in text, f"a password is in {where}"


def test_the_connection_goes_to_the_address_judged_and_tls_checks_the_name(
    smtp_server: SmtpServer, dovecot: Dovecot, tls: Tls
) -> None:
    """The server connects to the address it judged (``connect_to``), not to whatever the
    name resolves to a moment later, and still checks the certificate against the name."""
    settings = MailSettings(
        smtp_host="localhost", smtp_port=smtp_server.port, smtp_user=USER,
        imap_host="localhost", imap_port=dovecot.ssl_port, imap_user=USER,
        ca_file=str(tls.ca_file),
    )  # fmt: skip
    asked: list[tuple[str, int]] = []

    def judged(host: str, port: int) -> str:
        asked.append((host, port))
        return "127.0.0.1"

    assert SmtpMailer(settings, lambda: PASSWORD, judged).check()[-1] == f"logged in as {USER}"
    assert ImapMailbox(settings, lambda: PASSWORD, judged).check()[0].startswith("connected")
    starttls = replace(settings, imap_port=dovecot.port, imap_security=Security.STARTTLS)
    assert ImapMailbox(starttls, lambda: PASSWORD, judged).check()[0].startswith("connected")
    assert asked == [
        ("localhost", smtp_server.port),
        ("localhost", dovecot.ssl_port),
        ("localhost", dovecot.port),
    ]
    # Another address than the name's: nothing listens there, so nothing is reached.
    with pytest.raises(MailFailed, match="cannot reach localhost"):
        SmtpMailer(settings, lambda: PASSWORD, lambda h, p: "127.0.0.2").check()
    with pytest.raises(MailFailed, match="cannot reach localhost"):
        ImapMailbox(settings, lambda: PASSWORD, lambda h, p: "127.0.0.2").check()


def test_the_api_sets_the_same_through_the_same_service(seeker: Account, pg_url: str) -> None:
    bearer = {"authorization": f"Bearer {signin.new_token(bootstrap.server_signins(), seeker)}"}
    with client() as c:
        settings_given = {k: v for k, v in mail_form(587).items() if k.startswith("mail.")}
        r = c.put(
            "/api/settings/mail",
            headers=bearer,
            json={"settings": settings_given, "passwords": {"smtp": PASSWORD}, "digest": True},
        )
        assert r.status_code == 200, r.text
        assert PASSWORD not in r.text
        body = r.json()
        assert body["passwords"] == {"smtp": "set", "imap": "not set"}
        assert (body["digest"], body["timezone"], body["stale"]) == (True, "UTC", [])
        assert body["settings"]["mail.smtp_host"] == "127.0.0.1"
        assert "mail.ca_file" not in body["settings"]
        assert c.get("/api/settings/mail", headers=bearer).json()["passwords"]["smtp"] == "set"
        moved = c.put(
            "/api/settings/mail", headers=bearer, json={"settings": {"mail.smtp_user": "x"}}
        )
        assert moved.json()["stale"] == ["smtp"]
        assert moved.json()["passwords"]["smtp"] == "not set"
        for given, field in (
            ({"settings": {"mail.ca_file": "/etc/passwd"}}, "mail.ca_file"),
            ({"settings": {"mail.imap_host": "192.168.0.1"}}, "mail.imap_host"),
            ({"digest": True, "settings": {"mail.address": ""}}, "digest"),
        ):
            refused = c.put("/api/settings/mail", headers=bearer, json=given)
            assert (refused.status_code, refused.json()["field"]) == (400, field)
            assert refused.json()["error"].startswith(field)
        assert c.put("/api/settings/mail", json={"digest": False}).status_code == 401
