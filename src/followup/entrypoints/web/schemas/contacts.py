"""An application's contacts and the window they can be reached in."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from followup.domain.model import Role
from followup.entrypoints.web.schemas.common import (
    Change,
    DuplicateOk,
    Id,
    Model,
    Name,
    Text,
    Weekday,
)

Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["10:00"])]


class WindowModel(Model):
    """Best days and hours to call (R3), as in FORMAT.md: hours are ``HH:MM``, local time."""

    days: list[Weekday] = []
    start: Clock | None = None
    end: Clock | None = None


class ContactOut(Model):
    id: str
    name: str
    role: Role
    email: str | None
    phone: str | None
    name_confirmed: bool
    email_failed_on: date | None = None  # a delivery report said the address fails


class ContactIn(Model):
    name: Name
    role: Role = Role.INTERVIEWER
    email: Text | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    name_confirmed: bool = False
    id: Id | None = None


class ContactNew(ContactIn):
    """A contact named as one its application has already is refused (409) unless
    ``duplicate_ok``."""

    duplicate_ok: DuplicateOk = False


class ContactPatch(Model):
    name: Name | None = None
    role: Role | None = None
    email: Text | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    name_confirmed: bool | None = None
    email_ok: bool | None = None  # true: the address works again (clears a bounce's mark)
    duplicate_ok: DuplicateOk = False


class ContactChanged(ContactOut):
    change: Change
