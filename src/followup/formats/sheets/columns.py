"""Which column holds what: recognised by its header, or named with ``--map FIELD=COLUMN``.

Headers are compared by their words only (case, spacing and punctuation aside), so that
``Date applied``, ``date_applied`` and ``DATE APPLIED`` are one header. Each field has
the spellings seen in trackers' exports and hand-kept sheets, best first; a column serves
one field at most. The layouts of the known exports are named for the preview, and one of
them adds a value no column holds (LinkedIn's rows are all applications made there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

COMPANY: Final = "company"
POSITION: Final = "position"
APPLIED_ON: Final = "applied_on"
STATUS: Final = "status"
LINK: Final = "link"
NOTES: Final = "notes"
SOURCE: Final = "source"
#: The fields a row can give, in the order a preview shows them.
FIELDS: Final = (COMPANY, POSITION, APPLIED_ON, STATUS, LINK, SOURCE, NOTES)
REQUIRED: Final = (COMPANY, POSITION)

#: Each field's header spellings, best first (compared as :func:`words` gives them).
SPELLINGS: Final[dict[str, tuple[str, ...]]] = {
    COMPANY: (
        "company",
        "company name",
        "employer",
        "employer name",
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "firm",
        "business",
    ),
    POSITION: (
        "position",
        "job title",
        "role",
        "job position",
        "title",
        "position title",
        "role title",
        "job role",
        "job",
        "job name",
        "vacancy",
        "opening",
    ),
    APPLIED_ON: (
        "applied on",
        "date applied",
        "applied date",
        "application date",
        "date of application",
        "applied at",
        "applied",
        "date submitted",
        "submitted on",
        "submitted",
        "date",
    ),
    STATUS: (
        "status",
        "application status",
        "stage",
        "list",
        "state",
        "progress",
        "outcome",
    ),
    LINK: (
        "link",
        "url",
        "job url",
        "job link",
        "posting url",
        "job posting url",
        "job posting",
        "posting",
        "job ad",
        "listing url",
        "listing",
        "application link",
        "application url",
    ),
    SOURCE: (
        "source",
        "found via",
        "found on",
        "found through",
        "job board",
        "platform",
        "via",
        "board",
    ),
    NOTES: ("notes", "note", "comments", "comment", "remarks"),
}


def words(header: object) -> str:
    """A header reduced to its words: ``" Date_Applied "`` -> ``date applied``."""
    return " ".join(re.findall(r"[^\W_]+|#", str(header or "").casefold()))


@dataclass(frozen=True, slots=True)
class Layout:
    """A known export, told by headers it always has."""

    name: str
    signature: frozenset[str]
    #: Values no column holds, the same for every row (the field, its value).
    constants: tuple[tuple[str, str], ...] = ()
    #: Why some columns are left out, for the preview.
    note: str | None = None


LAYOUTS: Final = (
    Layout(
        "LinkedIn (Jobs/Job Applications.csv)",
        frozenset({"application date", "company name", "job title", "job url"}),
        constants=((SOURCE, "LinkedIn"),),
        note="its contact email and phone are your own details, not a company contact",
    ),
    Layout("Huntr", frozenset({"employer", "job title", "list"})),
    Layout("Teal", frozenset({"job position", "company", "date saved"})),
    Layout("career-ops (data/applications.md)", frozenset({"#", "date", "company", "role"})),
)
HAND_KEPT: Final = "a sheet of your own"


class MapError(ValueError):
    """A ``--map`` that cannot be used: the message says which and why."""


def parse_map(items: tuple[str, ...] | list[str]) -> dict[str, str | None]:
    """``["position=Job Title", "notes="]`` -> ``{"position": "Job Title", "notes": None}``."""
    found: dict[str, str | None] = {}
    for item in items:
        name, sep, column = item.partition("=")
        key = name.strip().lower().replace("-", "_")
        if not sep or key not in FIELDS:
            raise MapError(f"--map {item!r}: write FIELD=COLUMN, FIELD one of {', '.join(FIELDS)}")
        found[key] = column.strip() or None
    return found


@dataclass(frozen=True, slots=True)
class Mapping:
    """Where each field is read: the column's index and its header as written."""

    headers: tuple[str, ...]
    columns: dict[str, int]
    layout: str = HAND_KEPT
    constants: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def header(self, name: str) -> str:
        return self.headers[self.columns[name]]

    @property
    def complete(self) -> bool:
        return all(f in self.columns for f in REQUIRED)

    @property
    def unused(self) -> list[str]:
        """The headers no field reads (named in the preview: nothing of them is imported)."""
        used = set(self.columns.values())
        return [h for i, h in enumerate(self.headers) if i not in used and h.strip()]


def detect(headers: list[str], overrides: dict[str, str | None]) -> Mapping:
    """The mapping of a header row: ``overrides`` first, then the spellings.

    Raises :class:`MapError` when an override names a column the row does not have.
    """
    keys = [words(h) for h in headers]
    columns: dict[str, int] = {}
    for name, column in overrides.items():
        if column is None:
            continue
        wanted = words(column)
        if wanted not in keys:
            raise MapError(f"--map {name}={column}: no column {column!r} in the header row")
        columns[name] = keys.index(wanted)
    taken = set(columns.values())
    for name in FIELDS:
        if name in columns or name in overrides:
            continue
        best: tuple[int, int] | None = None
        for index, key in enumerate(keys):
            if index in taken or key not in SPELLINGS[name]:
                continue
            rank = SPELLINGS[name].index(key)
            if best is None or rank < best[0]:
                best = (rank, index)
        if best is not None:
            columns[name] = best[1]
            taken.add(best[1])
    present = set(keys)
    for layout in LAYOUTS:
        if layout.signature <= present:
            constants = {
                k: v for k, v in layout.constants if k not in columns and k not in overrides
            }
            return Mapping(tuple(headers), columns, layout.name, constants, layout.note)
    return Mapping(tuple(headers), columns)
