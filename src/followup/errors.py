"""The errors a user can meet, each with its exit code.

One handler in the command line prints ``followup: <message>`` and exits with the code;
the web app maps the same classes to HTTP statuses. Exit codes are a public contract
(README, "Exit codes"): add new ones, never renumber.
"""

from __future__ import annotations


class FollowupError(Exception):
    """A problem the user can fix; the message is one line that says what and where.

    ``field`` names the input it is about, when there is one, so that a form can show
    the message next to that field.
    """

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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


class MailFailed(FollowupError):
    """The mail server could not be reached, refused us, or could not be trusted."""

    exit_code = 10


class NotSent(MailFailed):
    """The message certainly did not go out (refused before it was handed over)."""


class MaybeSent(MailFailed):
    """The connection failed after the message was handed over: it may have gone out."""


class Refused(FollowupError):
    """A request that conflicts with the records (a duplicate id, a status action dismissed)."""

    exit_code = 8


class Duplicate(Refused):
    """A new record that looks like one already there (same company and position).

    The command line asks whether to add it anyway; ``existing`` names the record.
    """

    def __init__(self, message: str, existing: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.existing = existing
