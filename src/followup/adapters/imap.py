"""Reading replies over IMAP, read-only: folders are EXAMINEd and messages PEEKed, so
nothing in the mailbox changes (not even the Seen flag). Of each message only the headers
and the text parts come over the wire (BODYSTRUCTURE first, then a partial BODY.PEEK of each
text part, see ``imap_parts``): attachments are never downloaded.

TLS always (implicit or STARTTLS, certificates verified), never a login in clear. Folder
names and logins go into IMAP commands, so a line break or NUL in them is refused first:
Python's imaplib would send them as they are.
"""

from __future__ import annotations

import contextlib
import imaplib
import socket
import ssl
from collections.abc import Callable
from datetime import date
from typing import Any

from followup.adapters.imap_parts import assemble, fetch_items, text_sections
from followup.adapters.mailtext import parse
from followup.adapters.smtp import TIMEOUT, tls_context, untrusted
from followup.domain.mailbox import (
    IncomingMail,
    MailSettings,
    Security,
    check_header,
    require_tls,
)
from followup.errors import MailFailed

_FETCH_BATCH = 50
_PART_LIMIT = 65536  # bytes of a text part read at most: enough for any reply


class _Imap(imaplib.IMAP4):
    """Connected to ``address`` (already resolved and checked) instead of the host's name,
    which TLS still checks the certificate against."""

    def __init__(self, address: str, host: str, port: int, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        return socket.create_connection((self._address, self.port), timeout)


class _ImapSsl(imaplib.IMAP4_SSL):
    def __init__(
        self, address: str, host: str, port: int, context: ssl.SSLContext, timeout: float
    ) -> None:
        self._address = address
        super().__init__(host, port, ssl_context=context, timeout=timeout)

    def _create_socket(self, timeout: float | None = None) -> socket.socket:
        sock = socket.create_connection((self._address, self.port), timeout)
        wrapped: socket.socket = self.ssl_context.wrap_socket(sock, server_hostname=self.host)
        return wrapped


class ImapMailbox:
    def __init__(
        self,
        settings: MailSettings,
        password: Callable[[], str | None],
        connect_to: Callable[[str, int], str] | None = None,
    ) -> None:
        """``connect_to``: the address to open for a host and port (the server checks
        it there, ``adapters.mail_hosts``); without it, the host's name."""
        self.settings = settings
        self.password = password
        self.connect_to = connect_to
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
        address = self.connect_to(host, port) if self.connect_to else host
        try:
            if s.imap_security is Security.SSL:
                conn: imaplib.IMAP4 = _ImapSsl(address, host, port, tls_context(s.ca_file), TIMEOUT)
            else:
                conn = _Imap(address, host, port, TIMEOUT)
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
            if self.open(folder) is None:
                raise MailFailed(f"cannot open folder {folder!r}: is it spelled as on the server?")
            steps.append(f"folder {folder} can be read")
        self.close()
        return steps

    def open(self, folder: str) -> int | None:
        """The folder's UIDVALIDITY, or None when the server has no such folder (or will
        not open it): the other folders can still be read."""
        check_header(folder, "mail.folders")
        if not folder.isascii():
            raise MailFailed(f"folder {folder!r}: only ASCII folder names are supported")
        quoted = '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
        try:
            status, _ = self.conn.select(quoted, readonly=True)
            validity = self.conn.response("UIDVALIDITY")[1]
        except imaplib.IMAP4.error:
            return None
        except OSError as e:
            raise MailFailed(f"cannot open folder {folder!r} ({e})") from None
        if status != "OK" or not validity or validity[0] is None:
            return None
        return int(validity[0])

    def since(self, uid: int, day: date | None = None) -> list[IncomingMail]:
        """The messages after ``uid`` (or, when ``uid`` is 0, those from ``day`` on): their
        headers and text parts only, never attachments (see ``_read_batch``)."""
        try:
            if uid > 0 or day is None:
                status, data = self.conn.uid("SEARCH", f"UID {uid + 1}:*")
            else:
                status, data = self.conn.uid(
                    "SEARCH", f"SINCE {day.day}-{_MONTHS[day.month - 1]}-{day.year}"
                )
            if status != "OK":
                raise MailFailed("the server refused to search the folder")
            # "n:*" always includes the newest message, even one older than n: filter.
            uids = sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u > uid)
            found = []
            for start in range(0, len(uids), _FETCH_BATCH):
                found += self._read_batch(uids[start : start + _FETCH_BATCH])
        except (imaplib.IMAP4.error, OSError) as e:
            raise MailFailed(f"reading the mailbox failed ({e})") from None
        return sorted(found, key=lambda mail: mail.uid)

    def _read_batch(self, uids: list[int]) -> list[IncomingMail]:
        """Headers and structure first; then, for each message, only its text parts (the
        first ``_PART_LIMIT`` bytes of each), put together as a small message to read."""
        status, data = self.conn.uid(
            "FETCH", ",".join(map(str, uids)), "(UID BODYSTRUCTURE BODY.PEEK[HEADER])"
        )
        if status != "OK":
            raise MailFailed("the server refused to fetch messages")
        heads: dict[int, tuple[bytes, list[Any]]] = {}
        for item in fetch_items(data):
            if isinstance(item.get(b"UID"), bytes) and isinstance(item.get(b"BODY[HEADER]"), bytes):
                structure = item.get(b"BODYSTRUCTURE")
                heads[int(item[b"UID"])] = (
                    item[b"BODY[HEADER]"],
                    structure if isinstance(structure, list) else [],
                )
        wanted: dict[tuple[str, ...], list[int]] = {}
        for uid, (_, structure) in heads.items():
            wanted.setdefault(tuple(text_sections(structure)), []).append(uid)
        bodies: dict[int, dict[bytes, Any]] = {}
        for sections, group in wanted.items():
            if not sections:
                continue
            items = " ".join(
                f"BODY.PEEK[{n}.MIME] BODY.PEEK[{n}]<0.{_PART_LIMIT}>"
                if n != "TEXT"
                else f"BODY.PEEK[TEXT]<0.{_PART_LIMIT}>"
                for n in sections
            )
            status, data = self.conn.uid("FETCH", ",".join(map(str, group)), f"(UID {items})")
            if status != "OK":
                raise MailFailed("the server refused to fetch messages")
            for item in fetch_items(data):
                if isinstance(item.get(b"UID"), bytes):
                    bodies[int(item[b"UID"])] = item
        found = []
        for uid, (header, structure) in heads.items():
            raw = assemble(header, structure, text_sections(structure), bodies.get(uid, {}))
            found.append(parse(uid, raw))
        return found

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self._conn.logout()
            self._conn = None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
