"""The people of a followup server (issue 15): who signs in, and as what.

A seeker owns a job search; a coach reads the searches shared with them; an admin
manages accounts and reads nobody's search. The local mode has none of this.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

#: NIST SP 800-63B asks for at least 8 characters and no composition rules; the upper
#: bound keeps hashing one password cheap (argon2 reads all of it).
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


class AccountRole(enum.StrEnum):
    SEEKER = "seeker"
    COACH = "coach"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    email: str
    role: AccountRole
    created_at: datetime
    disabled_at: datetime | None = None
    #: Whether a password was set (an account without one cannot sign in yet).
    has_password: bool = False


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, in a few words; ``None`` when it can."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password has at most {MAX_PASSWORD} characters"
    if password != password.strip():
        return "a password does not start or end with a space (check what was pasted)"
    return None


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token as its owner sees it listed: never the token itself (only its hash
    is kept), when it was made and last used, and whether it was revoked."""

    id: int
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
