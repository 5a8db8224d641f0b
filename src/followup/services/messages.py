"""An email as followup writes it: from the user's own address, every header checked."""

from __future__ import annotations

from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr, make_msgid

from followup.domain.mailbox import MailSettings, check_header
from followup.errors import InvalidInput, Remedy


def own_address(settings: MailSettings) -> str:
    """The user's own address, safe in a header; what to do when it is not set."""
    if not settings.address:
        raise InvalidInput(
            "set your address first", field="mail.address", remedy=Remedy.SET_ADDRESS
        )
    return check_header(settings.address, "mail.address")


def new_message(
    sender: tuple[str, str], recipient: tuple[str, str], subject: str, body: str, now: datetime
) -> tuple[str, EmailMessage]:
    """A plain-text email from and to ``(name, address)`` pairs, and its new Message-ID.

    Every header value is checked: a line break in a name or subject is refused, never sent.
    """
    message = EmailMessage()
    message["From"] = _address("From", check_header(sender[0], "name"), sender[1])
    message["To"] = _address("To", check_header(recipient[0], "the contact's name"), recipient[1])
    message["Subject"] = check_header(subject, "the subject")
    message["Date"] = format_datetime(now)
    message_id = make_msgid(domain=sender[1].rpartition("@")[2] or None)
    message["Message-ID"] = message_id
    message.set_content(body)
    return message_id, message


#: A word longer than this cannot be folded within a 78-character line with its header name.
_LONGEST_WORD = 60


def _address(header: str, name: str, address: str) -> str | _EncodedAddress:
    """A ``Name <address>`` header value that folds to lines a server accepts.

    The email package folds a display name only between its words: a name with a word of
    hundreds of characters (a paste, an old database) made one line longer than the
    1,000 bytes SMTP allows, and the server answered "500 Line too long". Such a name is
    written as RFC 2047 encoded words instead, which fold anywhere.
    """
    if max(map(len, name.split()), default=0) <= _LONGEST_WORD:
        return formataddr((name, address))
    return _EncodedAddress(header, name, address)


class _EncodedAddress:
    """A header the email package writes as given (its ``name`` and ``fold`` protocol)."""

    def __init__(self, header: str, display: str, address: str) -> None:
        self.name = header
        self.display = display
        self.address = address

    def fold(self, *, policy: Policy) -> str:
        width = policy.max_line_length or 78
        words = Header(self.display, "utf-8", header_name=self.name).encode(
            linesep=policy.linesep, maxlinelen=width
        )
        return f"{self.name}: {words}{policy.linesep} <{self.address}>{policy.linesep}"

    def __str__(self) -> str:
        return formataddr((self.display, self.address))
