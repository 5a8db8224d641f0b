"""Reading replies over IMAP, read-only: folders are EXAMINEd and messages PEEKed, so
nothing in the mailbox changes (not even the Seen flag).

TLS always (implicit or STARTTLS, certificates verified), never a login in clear. Folder
names and logins go into IMAP commands, so a line break or NUL in them is refused first:
Python's imaplib would send them as they are.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable
from datetime import UTC
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

from followup.adapters.smtp import TIMEOUT, tls_context, untrusted
from followup.domain.mailbox import (
    IncomingMail,
    MailSettings,
    Security,
    check_header,
    require_tls,
)
from followup.errors import MailFailed

_IDS = re.compile(r"<[^<>\s]+>")
_UID = re.compile(rb"UID (\d+)")
_TEXT_LIMIT = 4000
_FETCH_BATCH = 100


class ImapMailbox:
    def __init__(self, settings: MailSettings, password: Callable[[], str | None]) -> None:
        self.settings = settings
        self.password = password
        self._conn: imaplib.IMAP4 | None = None

    @property
    def conn(self) -> imaplib.IMAP4:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        host, port, user = s.imap_host, s.imap_port, s.imap_user
        if not host or not user:
            raise MailFailed(
                "no mailbox: followup config set mail.imap_host HOST and mail.imap_user USER"
            )
        check_header(host, "mail.imap_host")
        check_header(user, "mail.imap_user")
        require_tls(s, s.imap_security, host, "read")
        try:
            if s.imap_security is Security.SSL:
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    host, port, ssl_context=tls_context(s.ca_file), timeout=TIMEOUT
                )
            else:
                conn = imaplib.IMAP4(host, port, timeout=TIMEOUT)
        except ssl.SSLCertVerificationError as e:
            raise untrusted(host, e) from None
        except (OSError, imaplib.IMAP4.error) as e:
            raise MailFailed(f"cannot reach {host}:{port} ({type(e).__name__}: {e})") from None
        try:
            self._secure_and_log_in(conn)
        except MailFailed:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                conn.shutdown()
            raise
        return conn

    def _secure_and_log_in(self, conn: imaplib.IMAP4) -> None:
        s = self.settings
        host, user = s.imap_host or "", s.imap_user or ""
        secret = None
        try:
            if s.imap_security is Security.STARTTLS:
                if "STARTTLS" not in conn.capabilities:
                    raise MailFailed(f"{host} does not offer STARTTLS: refusing to go on in clear")
                conn.starttls(ssl_context=tls_context(s.ca_file))
            secret = self.password()
            if secret is None:
                raise MailFailed(
                    f"no password for {user} at {host}: followup mail password imap "
                    "(or set FOLLOWUP_IMAP_PASSWORD)"
                )
            check_header(secret, "the IMAP password")
            conn.login(user, secret)
        except ssl.SSLCertVerificationError as e:
            raise untrusted(host, e) from None
        except imaplib.IMAP4.error:
            raise MailFailed(f"{host} refused the login of {user}") from None
        except (OSError, ssl.SSLError) as e:
            text = str(e).replace(secret, "***") if secret else str(e)
            raise MailFailed(f"cannot use {host} ({type(e).__name__}: {text})") from None

    def check(self) -> list[str]:
        steps = [f"connected to {self.settings.imap_host}:{self.settings.imap_port}, logged in"]
        for folder in self.settings.folder_list:
            self.open(folder)
            steps.append(f"folder {folder} can be read")
        self.close()
        return steps

    def open(self, folder: str) -> int:
        check_header(folder, "mail.folders")
        if not folder.isascii():
            raise MailFailed(f"folder {folder!r}: only ASCII folder names are supported")
        quoted = '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
        try:
            status, _ = self.conn.select(quoted, readonly=True)
            validity = self.conn.response("UIDVALIDITY")[1]
        except (imaplib.IMAP4.error, OSError) as e:
            raise MailFailed(f"cannot open folder {folder!r} ({e})") from None
        if status != "OK" or not validity or validity[0] is None:
            raise MailFailed(f"cannot open folder {folder!r}")
        return int(validity[0])

    def since(self, uid: int) -> list[IncomingMail]:
        try:
            status, data = self.conn.uid("SEARCH", f"UID {uid + 1}:*")
            if status != "OK":
                raise MailFailed("the server refused to search the folder")
            # "n:*" always includes the newest message, even one older than n: filter.
            uids = sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u > uid)
            found = []
            for start in range(0, len(uids), _FETCH_BATCH):
                batch = ",".join(str(u) for u in uids[start : start + _FETCH_BATCH])
                status, parts = self.conn.uid("FETCH", batch, "(UID BODY.PEEK[])")
                if status != "OK":
                    raise MailFailed("the server refused to fetch messages")
                for part in parts:
                    if isinstance(part, tuple) and (m := _UID.search(part[0])):
                        found.append(parse(int(m.group(1)), part[1]))
        except (imaplib.IMAP4.error, OSError) as e:
            raise MailFailed(f"reading the mailbox failed ({e})") from None
        return sorted(found, key=lambda mail: mail.uid)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self._conn.logout()
            self._conn = None


def parse(uid: int, raw: bytes) -> IncomingMail:
    """What followup needs of a message; tolerant of the odd mail a mailbox holds."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)

    def header(name: str) -> str:
        try:
            return str(message.get(name) or "")
        except (ValueError, IndexError):  # a malformed header is treated as absent
            return ""

    ids = _IDS.findall(header("Message-ID"))
    thread = tuple(_IDS.findall(header("In-Reply-To")) + _IDS.findall(header("References")))
    sender = parseaddr(header("From"))[1].lower() or None
    try:
        at = parsedate_to_datetime(header("Date")) if header("Date") else None
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
    except (TypeError, ValueError):
        at = None
    return IncomingMail(
        uid=uid,
        message_id=ids[0] if ids else None,
        in_reply_to=thread,
        sender=sender,
        subject=" ".join(header("Subject").split())[:300],
        at=at,
        text=_text(message),
    )


def _text(message: EmailMessage) -> str:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        content = body.get_content() if body is not None else ""
    except (KeyError, LookupError, ValueError):
        return ""
    if body is not None and body.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return str(content)[:_TEXT_LIMIT]
