"""Settings, and import."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from followup.entrypoints.web.schemas.common import Change, Model, Name


class SettingsOut(Model):
    timezone: str
    country: str | None
    name: str | None
    policy: dict[str, int]


class SettingsIn(Model):
    """Only the settings given change; every application is re-planned if the plan moves."""

    timezone: Annotated[str, Field(max_length=100)] | None = None
    country: Annotated[str, Field(max_length=10)] | None = None
    name: Name | None = None
    policy: dict[Annotated[str, Field(max_length=100)], int] = {}


class ImportOut(Model):
    created: int
    updated: int
    unchanged: int
    settings_changed: bool
    #: What the document changed in the settings, one phrase each.
    settings: list[str] = []


class SettingsChanged(SettingsOut):
    change: Change


class ImportChanged(ImportOut):
    change: Change
