"""The errors a user can meet, each with its exit code.

They live in the domain so that the domain can refuse bad values in the user's own
terms while importing only itself; ``followup.errors`` re-exports them for every layer.

One handler in the command line prints ``followup: <message>`` and exits with the code;
the web app maps the same classes to HTTP statuses. Exit codes are a public contract
(README, "Exit codes"): add new ones, never renumber.
"""

from __future__ import annotations

import enum


class Remedy(enum.StrEnum):
    """What the user can do about an error, named: each entrypoint words it its own way
    (the command line as a command to type, the web app as a place to go), so that no
    service message tells a web user to run a command."""

    LIST = "list"  # look at the applications
    TODAY = "today"  # look at the planned actions
    SHOW = "show"  # look at one application (``subject``)
    OUTBOX = "outbox"  # look at the unsent email
    RECORD_INTERVIEW = "record_interview"  # record an interview for ``subject``
    SCRIPT = "script"  # the action is a call: read its script
    CALL_OUTCOME = "call_outcome"  # say how the call went
    ADD_CONTACT = "add_contact"  # record the HR contact found for ``subject``
    ADD_APPLICATION = "add_application"  # apply: record a new application
    SET_ADDRESS = "set_address"  # set the user's own email address
    EMAIL_OK = "email_ok"  # say the address ``subject`` ("APP CONTACT") works again
    CHECK_SENT = "check_sent"  # outbox entry ``subject`` may have gone: look, then say
    CHECK_SENT_OR_RETRY = "check_sent_or_retry"  # the same, right after the send failed
    RETRY = "retry"  # outbox entry ``subject`` is kept: send it again
    DIGEST_SHOWN = "digest_shown"  # the digest may have gone out: see it again
    APPLY_OR_LOWER = "apply_or_lower"  # apply, or need fewer open applications
    SNOOZE_INSTEAD = "snooze_instead"  # snooze application ``subject``, touch, or status
    MAP_COLUMNS = "map_columns"  # say which columns give the fields ``subject`` (space-separated)


class FollowupError(Exception):
    """A problem the user can fix; the message is one line that says what and where.

    ``field`` names the input it is about, when there is one, so that a form can show
    the message next to that field. ``remedy`` names what can be done about it, about
    ``subject`` (a record's id) when it needs one; the message itself stays free of any
    one entrypoint's wording.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        remedy: Remedy | None = None,
        subject: str = "",
    ) -> None:
        super().__init__(message)
        self.field = field
        self.remedy = remedy
        self.subject = subject


class NotFound(FollowupError):
    """An application, contact, interview or action id that does not exist."""

    exit_code = 3


class InvalidInput(FollowupError):
    """A value that is not acceptable: a bad email, phone, date, status or setting."""

    exit_code = 4


class InvalidFile(FollowupError):
    """An import file that is malformed or partly invalid; nothing was written."""

    exit_code = 5


class DatabaseRefused(FollowupError):
    """A file that is not a followup database, or one made by a newer release."""

    exit_code = 6


class DatabaseBusy(FollowupError):
    """Another process held the database for longer than the busy timeout."""

    exit_code = 7


class DatabaseReadOnly(FollowupError):
    """A write (or a needed upgrade) to a database this process may only read.

    The file is not writable, or its folder is not (SQLite keeps its write-ahead log
    next to the file). Reading such a database works.
    """

    exit_code = 11


class DatabaseUnreachable(FollowupError):
    """The server's database is not configured (``FOLLOWUP_DATABASE_URL``), cannot be
    reached, or refuses the login."""

    exit_code = 12


class MailFailed(FollowupError):
    """The mail server could not be reached, refused us, or could not be trusted."""

    exit_code = 10


class NotSent(MailFailed):
    """The message certainly did not go out (refused before it was handed over)."""


class Rejected(NotSent):
    """The mail server refused for good (a 5xx reply, or the login): trying again, without
    a change of address, message or password, meets the same answer, so nothing tries
    again unasked (a queue's retries, the server's outbox) and a login is not hammered."""


class MaybeSent(MailFailed):
    """The connection failed after the message was handed over: it may have gone out."""


class Refused(FollowupError):
    """A request that conflicts with the records (a duplicate id, a status action dismissed)."""

    exit_code = 8


class Duplicate(Refused):
    """A record that looks like one already there: an application with the same company
    and position, or a contact with the name of another of its application's contacts.

    The command line asks whether to save it anyway, the web shows a confirm step and the
    API answers 409; ``existing`` names the record there (an application's id, or a
    contact's id in that application).
    """

    def __init__(self, message: str, existing: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.existing = existing
