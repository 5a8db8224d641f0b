"""The errors a user can meet: see :mod:`followup.domain.errors` (kept there so the domain
imports only itself). Every other layer imports them from here."""

from __future__ import annotations

from followup.domain.errors import (
    DatabaseBusy,
    DatabaseReadOnly,
    DatabaseRefused,
    DatabaseUnreachable,
    Duplicate,
    FollowupError,
    InvalidFile,
    InvalidInput,
    MailFailed,
    MaybeSent,
    NotFound,
    NotSent,
    Refused,
    Rejected,
    Remedy,
)

__all__ = [
    "DatabaseBusy",
    "DatabaseReadOnly",
    "DatabaseRefused",
    "DatabaseUnreachable",
    "Duplicate",
    "FollowupError",
    "InvalidFile",
    "InvalidInput",
    "MailFailed",
    "MaybeSent",
    "NotFound",
    "NotSent",
    "Refused",
    "Rejected",
    "Remedy",
]
