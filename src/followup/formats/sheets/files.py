"""The rows of a CSV file, an XLSX workbook's first sheet, or a markdown table, streamed.

Each reader yields ``(number, cells)`` one row at a time, so that memory holds one row
whatever the file's size: the number is the row as a spreadsheet shows it (the header is
usually row 1), or the line for a markdown table. The libraries are imported here, when a
file is read: the command line's start-up does not pay for openpyxl.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any, Final, cast

from followup.errors import InvalidFile
from followup.formats.stream import Opener

#: What a cell holds: text, or what a workbook stores (numbers, real dates, booleans).
Cell = str | int | float | bool | datetime | date | time | None
Rows = Iterator[tuple[int, list[Cell]]]

CSV: Final = "csv"
XLSX: Final = "xlsx"
MARKDOWN: Final = "md"
FORMATS: Final = (CSV, XLSX, MARKDOWN)
#: The word for a place in the file, by format ("row 3", "line 7").
PLACE: Final = {CSV: "row", XLSX: "row", MARKDOWN: "line"}
#: File name endings and the format they say.
ENDINGS: Final = {
    ".csv": CSV,
    ".tsv": CSV,
    ".txt": CSV,
    ".xlsx": XLSX,
    ".xlsm": XLSX,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
}
#: Old or other workbook formats openpyxl cannot read: named, rather than "not a zip file".
_OTHER_WORKBOOKS: Final = {".xls": "Excel 97-2003", ".ods": "OpenDocument", ".numbers": "Numbers"}
#: The delimiters a CSV file may use (the first, the comma, wins a tie).
_DELIMITERS: Final = (",", ";", "\t")


def format_of(name: str) -> str | None:
    """The spreadsheet format a file name says, or ``None`` (a followup/1 file)."""
    lowered = name.lower()
    for ending, kind in _OTHER_WORKBOOKS.items():
        if lowered.endswith(ending):
            raise InvalidFile(
                f"{kind} workbooks cannot be read: save the sheet as .xlsx or .csv first"
            )
    for ending, fmt in ENDINGS.items():
        if lowered.endswith(ending):
            return fmt
    return None


def rows(open_file: Opener, fmt: str) -> Rows:
    if fmt == CSV:
        return _csv_rows(open_file)
    if fmt == XLSX:
        return _xlsx_rows(open_file)
    return _markdown_rows(open_file)


def _text(raw: IO[bytes] | io.RawIOBase) -> io.TextIOWrapper:
    """UTF-8 text (a byte-order mark, as Excel writes, dropped); lines kept as they are."""
    return io.TextIOWrapper(_buffered(raw), encoding="utf-8-sig", newline="")


def _buffered(raw: IO[bytes] | io.RawIOBase) -> Any:
    """A buffered reader over what the opener gave (an open file is one already)."""
    return raw if isinstance(raw, io.BufferedIOBase) else io.BufferedReader(cast(Any, raw))


def _csv_rows(open_file: Opener) -> Rows:
    import csv  # noqa: PLC0415

    with _text(open_file()) as source:
        first = next((line for line in source if line.strip()), "")
    # The header line says the delimiter: Excel writes ";" where "," is the decimal mark.
    delimiter = max(_DELIMITERS, key=first.count) if first else ","
    with _text(open_file()) as source:
        reader = csv.reader(source, delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, list(record)
        except csv.Error as e:
            raise InvalidFile(f"row {number + 1}: not CSV ({e})") from None
        except UnicodeDecodeError:
            raise InvalidFile(
                f"row {number + 1}: not UTF-8 text (save the sheet as CSV UTF-8)"
            ) from None


def _xlsx_rows(open_file: Opener) -> Rows:
    import zipfile  # noqa: PLC0415

    import openpyxl  # noqa: PLC0415

    with open_file() as raw:
        source = _buffered(raw)
        try:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
            raise InvalidFile(f"not an XLSX workbook ({e})") from None
        try:
            if not book.worksheets:
                raise InvalidFile("the workbook has no sheet")
            sheet = book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell(v) for v in values]
        finally:
            book.close()


def _cell(value: object) -> Cell:
    """A workbook's value as a sheet's cell: what is not a plain value (a duration, a
    decimal, a formula kept as such) is read as its text."""
    if value is None or isinstance(value, str | int | float | datetime | date | time):
        return value
    return str(value)


#: A markdown table's separator line: ``|---|:---:|``.
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _markdown_rows(open_file: Opener) -> Rows:
    """The first table of a markdown file (career-ops keeps ``data/applications.md`` so).

    A row is yielded only once the table is sure: its header line is the one before the
    first separator line; the table ends at the first line that is not a table row.
    """
    with _text(open_file()) as source:
        previous: tuple[int, str] | None = None
        in_table = False
        try:
            for number, line in enumerate(source, start=1):
                stripped = line.strip()
                if in_table:
                    if not stripped.startswith("|"):
                        return
                    yield number, _cells(stripped)
                    continue
                if previous is not None and _SEPARATOR.match(stripped):
                    yield previous[0], _cells(previous[1])
                    in_table = True
                    continue
                previous = (number, stripped) if stripped.startswith("|") else None
        except UnicodeDecodeError:
            raise InvalidFile("not UTF-8 text") from None


def _cells(line: str) -> list[Cell]:
    inner = line.strip()
    inner = inner.removeprefix("|")
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(inner)]
