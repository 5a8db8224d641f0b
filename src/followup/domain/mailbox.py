"""Email, the pure part: mail settings, safe header values, and reading replies.

A reply is matched to the follow-up it answers by its In-Reply-To and References
headers (the Message-IDs followup sent), else by its sender's address among the
contacts. What it says is read in ``domain.replies``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from followup.domain import text
from followup.domain.errors import InvalidInput, MailFailed
from followup.domain.model import Purpose
from followup.domain.outbox import OutboxState as OutboxState  # noqa: PLC0414 - re-exported

#: What may never appear in a header, an SMTP envelope or an IMAP command: with a CR or
#: LF a contact's email field could inject headers, recipients or commands, and the other
#: line breaks (U+2028, U+0085, VT, FF...) and control characters break a header as
#: surely. New text is refused at entry (``domain.text``); a database written by an older
#: followup may still hold some, hence this second check where mail is made.
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def check_header(value: str, what: str) -> str:
    """``value`` if it is safe in a header, an envelope or an IMAP command; else refused."""
    problem = text.unsafe_in_line(value)
    if problem is not None:
        raise InvalidInput(f"{what} contains {problem}, which mail cannot carry", field=what)
    return value


class Security(enum.StrEnum):
    SSL = "ssl"  # implicit TLS (ports 465, 993)
    STARTTLS = "starttls"  # plain connection upgraded to TLS before anything else (587, 143)
    NONE = "none"  # no TLS: only for a server on this machine, and only when allowed


def _key(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where to send from and read replies. Passwords are not here: see ``adapters.secrets``."""

    address: str | None = _key(None, "your email address (the From of what you send)")
    smtp_host: str | None = _key(None, "your outgoing (SMTP) server")
    smtp_port: int = _key(587, "its port (587 for STARTTLS, 465 for SSL)")
    smtp_security: Security = field(
        default=Security.STARTTLS, metadata={"help": "ssl, starttls or none (local only)"}
    )
    smtp_user: str | None = _key(None, "the SMTP login (often your address)")
    imap_host: str | None = _key(None, "your incoming (IMAP) server")
    imap_port: int = _key(993, "its port (993 for SSL, 143 for STARTTLS)")
    imap_security: Security = field(
        default=Security.SSL, metadata={"help": "ssl, starttls or none (local only)"}
    )
    imap_user: str | None = _key(None, "the IMAP login")
    folders: str = _key("INBOX", "folders to read replies from, separated by commas")
    since: date | None = field(
        default=None,
        metadata={"help": "read a new folder from this day (empty: the oldest open application)"},
    )
    ca_file: str | None = _key(None, "a CA certificate file to trust (for a private server)")
    allow_plaintext_local: bool = _key(False, "allow security none for a server on this machine")

    @property
    def folder_list(self) -> list[str]:
        return [f.strip() for f in self.folders.split(",") if f.strip()]

    def with_value(self, key: str, value: str) -> MailSettings:
        """A copy with one setting parsed from text; ``InvalidInput`` naming it if bad."""
        name = key.removeprefix("mail.")
        spec = {f.name: f for f in fields(self)}.get(name)
        if spec is None:
            raise InvalidInput(
                f"unknown setting {key!r} (mail settings: {', '.join(MAIL_KEYS)})", field=key
            )
        text = value.strip()
        check_header(text, key)
        parsed: Any
        if name.endswith("_port"):
            if not text.isdigit() or not 0 < int(text) < 65536:
                raise InvalidInput(f"{key}: {value!r} is not a port number", field=key)
            parsed = int(text)
        elif name.endswith("_security"):
            try:
                parsed = Security(text.lower())
            except ValueError:
                raise InvalidInput(
                    f"{key}: {value!r} is not ssl, starttls or none", field=key
                ) from None
        elif name == "allow_plaintext_local":
            if text.lower() not in ("yes", "no", "true", "false"):
                raise InvalidInput(f"{key}: say yes or no", field=key)
            parsed = text.lower() in ("yes", "true")
        elif name == "folders":
            parsed = text or "INBOX"
        elif name == "since":
            try:
                parsed = date.fromisoformat(text) if text else None
            except ValueError:
                raise InvalidInput(
                    f"{key}: {value!r} is not a date (YYYY-MM-DD)", field=key
                ) from None
        else:
            parsed = text or None
        return replace(self, **{name: parsed})

    def as_text(self) -> dict[str, str]:
        return {
            f"mail.{f.name}": "" if (v := getattr(self, f.name)) is None else str(v)
            for f in fields(self)
        }


MAIL_KEYS = [f"mail.{f.name}" for f in fields(MailSettings)]
MAIL_HELP = {f"mail.{f.name}": f.metadata["help"] for f in fields(MailSettings)}


def plaintext_allowed(settings: MailSettings, host: str) -> bool:
    """No TLS only for a server on this machine, and only when the user said so."""
    return settings.allow_plaintext_local and host in LOOPBACK


def require_tls(settings: MailSettings, security: Security, host: str, doing: str) -> None:
    """Refuse to ``doing`` (send to, read) ``host`` in clear unless that is allowed."""
    if security is Security.NONE and not plaintext_allowed(settings, host):
        raise MailFailed(
            f"refusing to {doing} {host} without TLS (only a server on this machine may be "
            "used in clear, with mail.allow_plaintext_local yes)"
        )


# --- replies -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncomingMail:
    """What followup reads of a message in the mailbox."""

    uid: int
    message_id: str | None
    in_reply_to: tuple[str, ...]
    sender: str | None  # the From address, lowercase
    subject: str
    at: datetime | None
    text: str  # only what the sender wrote: quotes, forwards and signatures set aside
    #: The headers that tell automatic mail apart (Auto-Submitted, Precedence, List-Id...).
    headers: tuple[tuple[str, str], ...] = ()
    #: The addresses a delivery report says failed for good (empty: not a bounce).
    bounced: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SentMail:
    """An email followup sent (or recorded): what a reply to it belongs to."""

    application: str
    contact: str | None
    purpose: Purpose


def match(
    mail: IncomingMail,
    sent: dict[str, SentMail],
    by_address: dict[str, list[tuple[str, str]]],
) -> SentMail | None:
    """The follow-up a reply answers: by its thread first, else by its sender.

    ``sent`` maps the Message-IDs followup sent; ``by_address`` maps a contact's address
    to ``(application, contact)`` pairs, best candidate first.
    """
    for message_id in mail.in_reply_to:
        if message_id in sent:
            return sent[message_id]
    if mail.sender and (candidates := by_address.get(mail.sender)):
        application, contact = candidates[0]
        return SentMail(application, contact, Purpose.STATUS)
    return None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """An email as it goes out: stored first, so that a crash can neither lose nor repeat it."""

    id: int
    action_id: str
    application: str
    contact: str | None
    purpose: Purpose
    message_id: str
    sender: str
    recipient: str
    subject: str
    message: bytes
    state: OutboxState
    error: str | None
    created_at: datetime
    updated_at: datetime
