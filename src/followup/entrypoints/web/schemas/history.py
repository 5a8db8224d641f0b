"""The changes and their history, and undo."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from followup.entrypoints.web.schemas.common import Model

# --- changes and their history -----------------------------------------------------------------


class RevisionOut(Model):
    record: str = Field(description="An application id, or 'settings'")
    what: list[str]


class EntryOut(Model):
    id: int
    at: datetime
    summary: str
    changes: list[RevisionOut]
    undoes: int | None = Field(description="The entry this one undid, when it is an undo")
    undone_by: int | None = Field(description="The undo that reverted this entry")
    undoable: bool


class HistoryOut(Model):
    entries: list[EntryOut]
    before: int | None = Field(description="Give it as ?before= for the next (older) page")


class UndoIn(Model):
    entry: int | None = Field(
        default=None,
        ge=1,
        le=2**62,  # changes.MAX_ID: SQLite integers are 64-bit
        description="The change to undo; refused unless it is the newest",
    )


class UndoneOut(Model):
    undone: EntryOut
    change: int = Field(description="The history entry of the undo itself")


class ForgetIn(Model):
    before: date | None = Field(
        description="Forget the changes made before this local day; leave it out to forget all"
    )


class ForgottenOut(Model):
    forgotten: int = Field(description="How many entries were erased")
