"""An email as followup writes it: from the user's own address, every header checked."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
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
    message["From"] = formataddr((check_header(sender[0], "name"), sender[1]))
    message["To"] = formataddr((check_header(recipient[0], "the contact's name"), recipient[1]))
    message["Subject"] = check_header(subject, "the subject")
    message["Date"] = format_datetime(now)
    message_id = make_msgid(domain=sender[1].rpartition("@")[2] or None)
    message["Message-ID"] = message_id
    message.set_content(body)
    return message_id, message
