"""Real mail servers on 127.0.0.1 for the mail tests: aiosmtpd (SMTP, STARTTLS and
implicit TLS, with a login) and Dovecot (IMAP, from Debian's dovecot-imapd), both with
certificates from a test CA made by trustme."""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "maria", "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Tls:
    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        return ctx


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


def make_tls(folder: Path) -> Tls:
    """A test CA and a certificate for 127.0.0.1 signed by it, written to ``folder``."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    paths = Tls(ca, folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    ca.cert_pem.write_to_path(str(paths.ca_file))
    cert.cert_chain_pems[0].write_to_path(str(paths.cert_file))
    cert.private_key_pem.write_to_path(str(paths.key_file))
    return paths


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class SmtpServer:
    port: int
    received: list[Received] = field(default_factory=list)
    #: "drop" closes the connection once the message is in, without answering; "refuse"
    #: refuses the recipient for good (550), "busy" for now (451).
    mode: str = "accept"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "drop":
            server.transport.close()
            return "421 closing"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 OK queued"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.mode == "refuse":
            return "550 no such user"
        if self.mode == "busy":
            return "451 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


@pytest.fixture
def smtp_server(tls: Tls) -> Iterator[SmtpServer]:
    """STARTTLS required, a login required (only after TLS)."""
    server = SmtpServer(free_port())
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
    controller.stop()


@pytest.fixture
def plain_smtp_server() -> Iterator[SmtpServer]:
    """No TLS at all: followup must refuse it unless it is local and allowed."""
    server = SmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port, auth_require_tls=False)
    controller.start()
    yield server
    controller.stop()


# --- Dovecot ------------------------------------------------------------------------------

DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    root: Path
    port: int  # STARTTLS
    ssl_port: int  # implicit TLS
    config: Path
    ca_file: Path
    doveadm: str

    @contextmanager
    def client(self) -> Iterator[imaplib.IMAP4_SSL]:
        """A logged-in IMAP session as the test user, to set the mailbox up."""
        ctx = ssl.create_default_context(cafile=str(self.ca_file))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.ssl_port, ssl_context=ctx)
        conn.login(USER, PASSWORD)
        try:
            yield conn
        finally:
            conn.logout()

    def create(self, folder: str) -> None:
        with self.client() as conn:
            conn.create(folder)

    def append(self, raw: bytes, folder: str = "INBOX", received: datetime | None = None) -> None:
        """Deliver a message as a mail server would (through IMAP APPEND), received now or
        at ``received`` (what IMAP's SEARCH SINCE looks at)."""
        when = imaplib.Time2Internaldate(received) if received else None
        with self.client() as conn:
            conn.append(folder, None, when, raw)

    def reset_uidvalidity(self, value: int, folder: str = "INBOX") -> None:
        subprocess.run(
            [self.doveadm, "-c", str(self.config), "mailbox", "update", "-u", USER,
             "--uid-validity", str(value), folder],
            check=True, capture_output=True,
        )  # fmt: skip


def dovecot_binaries() -> tuple[str, str] | None:
    sbin = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin"])
    dovecot_bin, doveadm_bin = (
        shutil.which("dovecot", path=sbin),
        shutil.which("doveadm", path=sbin),
    )
    if dovecot_bin is None or doveadm_bin is None:
        return None
    return dovecot_bin, doveadm_bin


@pytest.fixture(scope="session")
def dovecot(tls: Tls) -> Iterator[Dovecot]:
    binaries = dovecot_binaries()
    if binaries is None:
        reason = "needs Dovecot: sudo apt-get install dovecot-imapd"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the IMAP tests: {reason}")
        pytest.skip(reason)
    with running_dovecot(tls, *binaries) as server:
        yield server


@contextmanager
def running_dovecot(tls: Tls, dovecot_bin: str, doveadm_bin: str) -> Iterator[Dovecot]:
    """A Dovecot of our own on loopback, in a folder removed afterwards."""
    # Dovecot's own processes (users dovecot, dovenull) must reach these files: pytest's
    # folders are private to us, so use one of our own and remove it afterwards.
    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    if os.geteuid() == 0:  # as root: mail as nobody, login processes unprivileged
        uid = gid = 65534
        login_user, internal_user = "dovenull", "dovecot"
        for name in ("mail", "home"):
            os.chown(root / name, uid, gid)
    else:  # as a user: everything as that user
        uid, gid = os.getuid(), os.getgid()
        login_user = internal_user = os.environ.get("USER") or str(uid)
    server = Dovecot(
        root, free_port(), free_port(), root / "dovecot.conf", tls.ca_file, doveadm_bin
    )
    server.config.write_text(
        DOVECOT_CONF.format(
            root=root, cert=tls.cert_file, key=tls.key_file, port=server.port,
            ssl_port=server.ssl_port, uid=uid, gid=gid, login_user=login_user,
            internal_user=internal_user,
        )
    )  # fmt: skip
    subprocess.run([dovecot_bin, "-c", str(server.config)], check=True)
    deadline = time.monotonic() + 15
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", server.ssl_port)) == 0:
                break
        if time.monotonic() > deadline:
            raise RuntimeError((root / "dovecot.log").read_text())
        time.sleep(0.05)
    try:
        yield server
    finally:
        subprocess.run(
            [server.doveadm, "-c", str(server.config), "stop"], check=False, capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)
