"""Sending through the user's SMTP server: TLS always (implicit or STARTTLS), certificates
verified, never a login in clear.

The SMTP conversation is driven step by step so that a failure is classified by where it
happened: before the message was handed over (``NotSent``: safe to send again), or after
(``MaybeSent``: the server may have it; the outbox then asks the user before resending).
A refusal for good (RFC 5321's 5xx replies, a login refused with one) is ``Rejected``: safe
to send again too, but pointless until the user changes something.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable

from followup.domain.mailbox import MailSettings, Security, check_header, require_tls
from followup.errors import MailFailed, MaybeSent, NotSent, Rejected

TIMEOUT = 30


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Verifying certificates and host names; a private CA only when configured."""
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as e:
        raise MailFailed(f"mail.ca_file {ca_file!r} cannot be used ({e})") from None


class _Smtp(smtplib.SMTP):
    """Connected to ``address`` (already resolved and checked) instead of the host's name,
    which TLS still checks the certificate against."""

    def __init__(self, address: str, host: str, port: int, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock: socket.socket = super()._get_socket(self._address, port, timeout)  # type: ignore[misc]
        return sock


class _SmtpSsl(smtplib.SMTP_SSL):
    def __init__(
        self, address: str, host: str, port: int, context: ssl.SSLContext, timeout: float
    ) -> None:
        self._address = address
        super().__init__(host, port, context=context, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock: socket.socket = super()._get_socket(self._address, port, timeout)  # type: ignore[misc]
        return sock


class SmtpMailer:
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

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        host, port = s.smtp_host, s.smtp_port
        if not host:
            raise MailFailed("no outgoing server: followup config set mail.smtp_host HOST")
        check_header(host, "mail.smtp_host")
        require_tls(s, s.smtp_security, host, "send to")
        address = self.connect_to(host, port) if self.connect_to else host
        try:
            if s.smtp_security is Security.SSL:
                context = tls_context(s.ca_file)
                return _SmtpSsl(address, host, port, context, TIMEOUT)
            return _Smtp(address, host, port, TIMEOUT)
        except ssl.SSLCertVerificationError as e:
            raise untrusted(host, e) from None
        except (OSError, smtplib.SMTPException) as e:
            raise MailFailed(f"cannot reach {host}:{port} ({type(e).__name__}: {e})") from None

    def _secure_and_log_in(self, smtp: smtplib.SMTP) -> None:
        s = self.settings
        host = s.smtp_host or ""
        secret = None
        try:
            smtp.ehlo()
            if s.smtp_security is Security.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise MailFailed(f"{host} does not offer STARTTLS: refusing to go on in clear")
                smtp.starttls(context=tls_context(s.ca_file))
                smtp.ehlo()
            if s.smtp_user:
                secret = self.password()
                if secret is None:
                    raise MailFailed(
                        f"no password for {s.smtp_user} at {host}: followup mail password smtp "
                        "(or set FOLLOWUP_SMTP_PASSWORD)"
                    )
                smtp.login(check_header(s.smtp_user, "mail.smtp_user"), secret)
        except ssl.SSLCertVerificationError as e:
            raise untrusted(host, e) from None
        except smtplib.SMTPAuthenticationError as e:
            refusal = _LoginRefused if e.smtp_code >= 500 else MailFailed
            raise refusal(f"{host} refused the login of {s.smtp_user}") from None
        except (OSError, smtplib.SMTPException) as e:
            text = str(e).replace(secret, "***") if secret else str(e)
            raise MailFailed(f"cannot use {host} ({type(e).__name__}: {text})") from None

    def _connect(self) -> smtplib.SMTP:
        smtp = self._open()
        try:
            self._secure_and_log_in(smtp)
        except MailFailed:
            _close(smtp)
            raise
        return smtp

    def check(self) -> list[str]:
        smtp = self._connect()
        _close(smtp)
        s = self.settings
        steps = [f"connected to {s.smtp_host}:{s.smtp_port}"]
        if s.smtp_security is not Security.NONE:
            steps.append("TLS: certificate verified")
        if s.smtp_user:
            steps.append(f"logged in as {s.smtp_user}")
        return steps

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        check_header(sender, "sender")
        check_header(recipient, "recipient")
        try:
            smtp = self._connect()
        except _LoginRefused as e:
            raise Rejected(str(e)) from None
        except MailFailed as e:
            raise NotSent(str(e)) from None
        try:
            _transfer(smtp, sender, recipient, message)
        finally:
            _close(smtp)


def _transfer(smtp: smtplib.SMTP, sender: str, recipient: str, message: bytes) -> None:
    try:
        _expect(smtp.mail(sender), (250,), "the sender")
        _expect(smtp.rcpt(recipient), (250, 251), f"the recipient {recipient}")
        _expect(smtp.docmd("DATA"), (354,), "the message")
    except (OSError, smtplib.SMTPException) as e:
        raise NotSent(f"{type(e).__name__}: {e}") from None
    try:  # from here on the server may have the message
        smtp.send(_dot_stuffed(message))
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPException) as e:
        raise MaybeSent(
            f"the connection failed while the message was sent ({type(e).__name__})"
        ) from None
    if code != 250:
        raise _refusal(
            code, f"the server refused the message: {code} {reply.decode(errors='replace')}"
        )


def _expect(response: tuple[int, bytes], codes: tuple[int, ...], what: str) -> None:
    code, reply = response
    if code not in codes:
        raise _refusal(code, f"the server refused {what}: {code} {reply.decode(errors='replace')}")


def _refusal(code: int, text: str) -> NotSent:
    """RFC 5321: a 4xx reply is for now (a full mailbox, greylisting), a 5xx for good."""
    return Rejected(text) if 500 <= code < 600 else NotSent(text)


class _LoginRefused(MailFailed):
    """The server refused the login for good (5xx): ``send`` makes it ``Rejected``."""


def _dot_stuffed(message: bytes) -> bytes:
    """RFC 5321 transparency: a line starting with a dot gets another; then the final dot."""
    data = re.sub(rb"(?m)^\.", b"..", message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def untrusted(host: str, error: ssl.SSLCertVerificationError) -> MailFailed:
    return MailFailed(
        f"{host}: its certificate is not trusted ({error.verify_message}); for a private "
        "server, set mail.ca_file to its CA certificate"
    )


def _close(smtp: smtplib.SMTP) -> None:
    """QUIT politely if the connection still works; close the socket in any case."""
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        smtp.close()
