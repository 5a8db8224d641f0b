"""A seeker's mail on the server (``/api/settings/mail``): no password ever comes out."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from followup.entrypoints.web.schemas.common import Model

Kind = Literal["smtp", "imap"]
State = Literal["set", "stale", "not set"]
Key = Annotated[str, Field(max_length=100, description="A mail.* setting")]
Password = Annotated[str, Field(min_length=1, max_length=1024, description="Kept sealed")]


class MailOut(Model):
    settings: dict[str, str] = Field(description="The mail.* settings (empty: not set)")
    passwords: dict[Kind, State] = Field(
        description="Whether a password is kept for the login and server set ('stale': "
        "kept for others, not used)"
    )
    digest: bool = Field(description="The daily digest by email, at 08:00 in timezone")
    timezone: str


class MailIn(Model):
    """Only what is given changes; all of it is checked before anything is written."""

    settings: dict[Key, Annotated[str, Field(max_length=2000)]] = {}
    passwords: dict[Kind, Password] = {}
    forget: list[Kind] = []
    digest: bool | None = None


class MailChanged(MailOut):
    stale: list[Kind] = Field(
        description="Passwords forgotten because their login or server changed"
    )
