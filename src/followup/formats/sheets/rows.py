"""A sheet read as rows of an application each, every cell checked where it stands.

:class:`Sheet` finds the header row (the first of the first few rows whose headers give a
company and a position), then reads the rows anew each time they are iterated, keeping
none: the import reads them once to check them all, then again to write them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Final

from followup.domain import words as say
from followup.domain.model import Status
from followup.domain.text import clean
from followup.domain.when import in_range
from followup.errors import InvalidFile, InvalidInput, Remedy
from followup.formats.sheets import columns as col
from followup.formats.sheets import files, values
from followup.formats.stream import Opener

#: Rows looked at for the header: a title or a blank line may come before it.
HEADER_SEARCH: Final = 10


@dataclass(frozen=True, slots=True)
class Row:
    """One application as a row gives it."""

    number: int
    company: str
    position: str
    #: A followup status, or :data:`values.SAVED` (a job saved, not applied for).
    status: str
    applied_on: date | None = None
    link: str | None = None
    source: str | None = None
    notes: str | None = None

    @property
    def saved_only(self) -> bool:
        return self.status == values.SAVED

    @property
    def followup_status(self) -> Status:
        return Status.ACTIVE if self.saved_only else Status(self.status)


def same_position(position: str) -> str:
    """Positions compared as the duplicate check compares them (case and spacing aside)."""
    return " ".join(position.casefold().split())


@dataclass(frozen=True, slots=True)
class Options:
    """How to read a sheet: the format, the columns named by the user, and day order."""

    fmt: str
    mapping: dict[str, str | None]
    statuses: dict[str, str]
    dayfirst: bool = False


def parse_statuses(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["Phone screen=active"]`` -> ``{"phone screen": "active"}`` (``--status``)."""
    found = {}
    for item in items:
        said, sep, target = item.rpartition("=")
        target = target.strip().lower()
        if not sep or not col.words(said) or target not in values.STATUS_TARGETS:
            raise InvalidInput(
                f"--status {item!r}: write TEXT=STATUS, STATUS one of "
                f"{', '.join(values.STATUS_TARGETS)}",
                field="status",
            )
        found[col.words(said)] = target
    return found


class Sheet:
    """A sheet whose header row is found (:class:`InvalidFile` if not)."""

    def __init__(self, open_file: Opener, options: Options, today: date, tz: tzinfo) -> None:
        self._open = open_file
        self.options = options
        self.today = today
        self.tz = tz
        self.place = files.PLACE[options.fmt]
        self.header_row, self.mapping = self._header()

    def _header(self) -> tuple[int, col.Mapping]:
        first: list[str] | None = None
        map_problem: str | None = None
        looked = 0
        for number, cells in files.rows(self._open, self.options.fmt):
            headers = [values.text(c) or "" for c in cells]
            if not any(headers):
                continue
            first = first or headers
            try:
                mapping = col.detect(headers, self.options.mapping)
            except col.MapError as e:
                map_problem = map_problem or str(e)
            else:
                if mapping.complete:
                    return number, mapping
            looked += 1
            if looked == HEADER_SEARCH:
                break
        if first is None:
            raise InvalidFile("the sheet is empty: no header row")
        if map_problem is not None:
            raise InvalidInput(f"{map_problem} (its headers: {_listed(first)})", field="map")
        missing = [f for f in col.REQUIRED if f not in col.detect(first, {}).columns]
        raise InvalidFile(
            f"no header row names a company and a position column (the first is {_listed(first)})",
            remedy=Remedy.MAP_COLUMNS,
            subject=" ".join(missing or col.REQUIRED),
        )

    def read(self) -> Iterator[Row | str]:
        """Each data row as a :class:`Row`, or as the problem that stops it (one line)."""
        mapping = self.mapping
        for number, cells in files.rows(self._open, self.options.fmt):
            if number <= self.header_row or not any(values.text(c) for c in cells):
                continue
            try:
                yield self._row(number, cells, mapping)
            except _CellProblem as e:
                yield f'{self.place} {number}, column "{e.header}": {e}'

    def rows(self) -> Iterator[Row]:
        """Each data row; the first problem raised as :class:`InvalidFile`."""
        for item in self.read():
            if isinstance(item, str):
                raise InvalidFile(item)
            yield item

    def _row(self, number: int, cells: list[files.Cell], mapping: col.Mapping) -> Row:
        def cell(name: str) -> files.Cell:
            index = mapping.columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        def read(name: str, reader: Callable[[files.Cell], object]) -> object:
            try:
                return reader(cell(name))
            except ValueError as e:
                raise _CellProblem(mapping.header(name), str(e)) from None

        def line(name: str, *, required: bool = False) -> str | None:
            value = read(name, values.plain)
            if name not in mapping.columns:
                value = mapping.constants.get(name)
            try:
                return clean(str(value), name, required=required) if value is not None else None
            except ValueError as e:
                raise _CellProblem(mapping.header(name), str(e)) from None

        company = line(col.COMPANY, required=True)
        position = line(col.POSITION, required=True)
        if company is None or position is None:
            name = col.COMPANY if company is None else col.POSITION
            raise _CellProblem(mapping.header(name), "empty")
        status = str(read(col.STATUS, lambda c: values.status(c, self.options.statuses)))
        applied_on = read(
            col.APPLIED_ON, lambda c: values.day(c, dayfirst=self.options.dayfirst, tz=self.tz)
        )
        assert applied_on is None or isinstance(applied_on, date)
        if applied_on is not None:
            self._check_day(applied_on, mapping.header(col.APPLIED_ON))
        link = read(col.LINK, values.link)
        if link is not None:
            try:
                link = clean(str(link), "link")
            except ValueError as e:
                raise _CellProblem(mapping.header(col.LINK), str(e)) from None
        return Row(
            number=number,
            company=company,
            position=position,
            status=status,
            applied_on=applied_on,
            link=link if isinstance(link, str) else None,
            source=line(col.SOURCE),
            notes=line(col.NOTES),
        )

    def _check_day(self, day: date, header: str) -> None:
        if not in_range(day):
            raise _CellProblem(header, f"not a date a job search can have: {day.isoformat()}")
        if day > self.today:
            raise _CellProblem(
                header,
                f"{say.day(day)} is in the future (today is {say.day(self.today)})",
            )


class _CellProblem(ValueError):
    def __init__(self, header: str, reason: str) -> None:
        super().__init__(reason)
        self.header = header


def _listed(headers: list[str]) -> str:
    shown = ", ".join(repr(h) for h in headers[:12] if h)
    return shown + (", ..." if len(headers) > 12 else "")


def first_headers(open_file: Opener, fmt: str) -> list[str]:
    """The first row that is not empty, as text: the columns a form offers to choose from
    when no header row was recognised."""
    for _, cells in files.rows(open_file, fmt):
        headers = [values.text(c) or "" for c in cells]
        if any(headers):
            return headers
    return []
