"""What every shape of the API builds on: the base model, the limits on text, errors."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from followup.domain.text import LIMITS

Text = Annotated[str, Field(max_length=2000)]
Notes = Annotated[str, Field(max_length=LIMITS["notes"])]
Posting = Annotated[str, Field(max_length=LIMITS["posting"], description="The job ad's text")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=100)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Model):
    error: str
    field: str | None = None
    existing: str | None = Field(
        default=None,
        description="A duplicate: the id of the record already there (an application, or a "
        "contact of the same application)",
    )


#: What a change was allowed to break, in words (R13's week, R7's answer date, R11's window).
Warnings = Annotated[
    list[str], Field(description="What the change broke that it may (R7, R11, R13), in words")
]
#: A change like a record already there (a 409 with ``existing``) is saved when this is true.
DuplicateOk = Annotated[
    bool,
    Field(description="Save it even if it is like a record already there (a 409 names it)"),
]

#: The history entry a change wrote (``POST /api/undo`` reverts it); null when nothing changed.
Change = Annotated[int | None, Field(description="The history entry of this change")]


class CsrfOut(Model):
    token: str


class DeletedOut(Model):
    deleted: str
    change: Change
