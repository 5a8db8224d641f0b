"""Email, the pure part: mail settings, safe header values, and reading replies.

A reply is matched to the follow-up it answers by its In-Reply-To and References
headers (the Message-IDs followup sent), else by its sender's address among the
contacts. When its text states a decision ("unfortunately...", "we are pleased to
offer...", "we will decide by Friday"), a decision and a date are proposed; the
candidate confirms them (R14, R15).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from followup.domain.model import WEEKDAYS, Decision, Purpose
from followup.errors import InvalidInput, MailFailed

#: What may never appear in a header, an SMTP envelope or an IMAP command: with a CR or
#: LF a contact's email field could inject headers, recipients or commands.
FORBIDDEN = ("\r", "\n", "\x00")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def check_header(value: str, what: str) -> str:
    """``value`` if it is safe in a header, an envelope or an IMAP command; else refused."""
    if any(ch in value for ch in FORBIDDEN):
        raise InvalidInput(
            f"{what} contains a line break or NUL, which mail cannot carry", field=what
        )
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
    text: str


@dataclass(frozen=True, slots=True)
class SentMail:
    """An email followup sent (or recorded): what a reply to it belongs to."""

    application: str
    contact: str | None
    purpose: Purpose


@dataclass(frozen=True, slots=True)
class Proposal:
    """What a reply seems to say, for the candidate to confirm."""

    decision: Decision
    decision_by: date | None = None


_OFFER = re.compile(
    r"pleased to offer|happy to offer|offer you the|extend (?:you )?an offer|job offer", re.I
)
#: Phrases that say no on their own, whatever else the message says.
_REJECTED = re.compile(
    r"regret to inform|not (?:to )?(?:be )?(?:moving|move) forward|not been successful|"
    r"not (?:be )?progressing|decided to (?:proceed|go) with another|"
    r"position has been filled",
    re.I,
)
_UNDECIDED = re.compile(
    r"no decision (?:yet|has been made)|(?:not|n't) (?:yet )?(?:made|reached) a decision|"
    r"still (?:reviewing|interviewing)|"
    r"(?:decide|decision|get back to you|let you know|answer)\b[^.]{0,40}\bby\b",
    re.I,
)
#: Words that usually come with a no, but also with a delay ("unfortunately we have not
#: decided yet", "we are still meeting other candidates"): read only after the above.
_PROBABLY_REJECTED = re.compile(r"unfortunately|other candidates?", re.I)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: A month as written: its name, or its first three letters ("Sept" too), nothing longer.
_MONTH = "|".join(
    f"{m[:3]}(?:{m[3:]}|t)?" if m == "september" else f"{m[:3]}(?:{m[3:]})?" for m in _MONTHS
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH})\b", re.I)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_BY_WEEKDAY = re.compile(
    r"\bby (?:next |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I
)


def propose(mail: IncomingMail, today: date) -> Proposal | None:
    """The decision a reply states, if it states one (a hint: the candidate confirms)."""
    text = f"{mail.subject}\n{mail.text}"
    if _OFFER.search(text):
        return Proposal(Decision.OFFER)
    if _REJECTED.search(text):
        return Proposal(Decision.REJECTED)
    if _UNDECIDED.search(text):
        return Proposal(Decision.UNDECIDED, _first_date(text, mail.at.date() if mail.at else today))
    if _PROBABLY_REJECTED.search(text):
        return Proposal(Decision.REJECTED)
    return None


def _first_date(text: str, sent_on: date) -> date | None:
    found: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        if d := _date(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            found.append((m.start(), d))
    for m in _DAY_MONTH.finditer(text):
        if d := _upcoming(int(m.group(1)), _month(m.group(2)), sent_on):
            found.append((m.start(), d))
    for m in _MONTH_DAY.finditer(text):
        if d := _upcoming(int(m.group(2)), _month(m.group(1)), sent_on):
            found.append((m.start(), d))
    for m in _BY_WEEKDAY.finditer(text):
        wanted = WEEKDAYS.index(m.group(1).lower()[:3])
        found.append(
            (m.start(), sent_on + timedelta(days=(wanted - sent_on.weekday() - 1) % 7 + 1))
        )
    return min(found)[1] if found else None


def _month(name: str) -> int:
    return [m[:3] for m in _MONTHS].index(name.lower()[:3]) + 1


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _upcoming(day: int, month: int, sent_on: date) -> date | None:
    """A day and month without a year: the first such date on or after the reply."""
    for year in (sent_on.year, sent_on.year + 1):
        d = _date(year, month, day)
        if d is not None and d >= sent_on:
            return d
    return None


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


class OutboxState(enum.StrEnum):
    SENDING = "sending"  # stored, being sent, or its fate unknown: never resent unasked
    SENT = "sent"
    FAILED = "failed"  # certainly not sent: may be sent again


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
