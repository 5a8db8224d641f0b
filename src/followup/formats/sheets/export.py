"""The export as a spreadsheet: one row per application, one row per touch.

The headers are those a hand-kept job-search sheet has (Company, Position, Status, Date
applied, Link, Notes, Source), so the file reads at a glance and another tracker, or
``followup import``, recognises its columns. XLSX holds two sheets, *Applications* and
*Touches*; CSV has no sheets, so the touches go to a second file beside the first
(``search.csv`` and ``search-touches.csv``).

Rows are written as the applications are read, never all held: the XLSX through
openpyxl's write-only mode (each sheet spooled to a temporary file), the CSV straight
to its file. Either is written under a temporary name and renamed when complete, so a
failure halfway leaves no half file (and the old file, if any, as it was).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import IO, TYPE_CHECKING, Any

from followup.domain.model import Application, Contact

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from followup.formats.cells import Cell, as_text, neutralised

APPLICATION_HEADERS = (
    "Company",
    "Position",
    "Status",
    "Date applied",
    "Link",
    "Notes",
    "Source",
    "Contacts",
    "Interviews",
    "Date recorded",
    "ID",
)
TOUCH_HEADERS = (
    "Date",
    "Time",
    "Company",
    "Position",
    "How",
    "Purpose",
    "Outcome",
    "Contact",
    "Decision",
    "Decision by",
    "Vacancies",
    "Notes",
    "Application ID",
    "Touch ID",
)
SHEETS = ("Applications", "Touches")
#: The encoding of the CSV files: UTF-8 with a byte order mark, without which Excel reads
#: UTF-8 as the machine's legacy code page (Müller as MÃ¼ller).
CSV_ENCODING = "utf-8-sig"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: the files (the CSV touches file second) and the row counts."""

    paths: tuple[str, ...]
    applications: int
    touches: int


def touches_path(path: str) -> str:
    """``search.csv`` -> ``search-touches.csv``: where the CSV export puts the touches."""
    stem, ext = os.path.splitext(path)
    return f"{stem}-touches{ext or '.csv'}"


def application_row(app: Application, tz: tzinfo) -> list[Cell]:
    """The status is the one followup shows (a recorded rejection or offer applied)."""
    interviews = [
        f"{_local(iv.at, tz)}"
        + (f" with {_names(app, iv.interviewers)}" if iv.interviewers else "")
        + (" (cancelled)" if iv.cancelled else "")
        for iv in sorted(app.interviews, key=lambda iv: iv.at)
    ]
    return [
        app.company,
        app.position,
        app.effective_status.value,
        app.applied_on,
        app.link,
        app.notes,
        app.source,
        "; ".join(_contact(c) for c in app.contacts) or None,
        "; ".join(interviews) or None,
        app.recorded_on,
        app.id,
    ]


def touch_rows(app: Application, tz: tzinfo) -> Iterator[list[Cell]]:
    """The application's emails and calls, oldest first, at local days and times."""
    for t in sorted(app.touches, key=lambda t: (t.at, t.id)):
        local = t.at.astimezone(tz)
        contact = app.contact(t.contact)
        yield [
            local.date(),
            time(local.hour, local.minute),
            app.company,
            app.position,
            t.channel.value,
            t.purpose.value,
            t.outcome.value,
            contact.name if contact else t.contact,
            t.decision.value if t.decision else None,
            t.decision_by,
            t.vacancies,
            t.notes,
            app.id,
            t.id,
        ]


def write_csv(path: str, apps: Iterable[Application], tz: tzinfo) -> Written:
    """``path`` (the applications) and :func:`touches_path` (the touches), both or neither."""
    second = touches_path(path)
    with _replacing(path) as main, _replacing(second) as other:
        first_out = csv.writer(main)
        second_out = csv.writer(other)
        first_out.writerow(APPLICATION_HEADERS)
        second_out.writerow(TOUCH_HEADERS)
        counts = [0, 0]
        for app in apps:
            first_out.writerow(as_text(c) for c in neutralised(application_row(app, tz)))
            counts[0] += 1
            for row in touch_rows(app, tz):
                second_out.writerow(as_text(c) for c in neutralised(row))
                counts[1] += 1
    return Written((path, second), *counts)


def write_xlsx(path: str, apps: Iterable[Application], tz: tzinfo) -> Written:
    """One workbook, two sheets, each row appended as its application is read."""
    from openpyxl import Workbook  # noqa: PLC0415 - only this export needs it
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheets = [book.create_sheet(title) for title in SHEETS]
    bold = Font(bold=True)
    widths = [
        (18, 22, 12, 12, 30, 40, 14, 40, 30, 12, 24),
        (12, 8, 18, 22, 8, 10, 10, 18, 10, 12, 20, 40, 24, 8),
    ]
    for sheet, headers, width in zip(
        sheets, (APPLICATION_HEADERS, TOUCH_HEADERS), widths, strict=True
    ):
        for i, w in enumerate(width, start=1):
            sheet.column_dimensions[_column(i)].width = w
        sheet.freeze_panes = "A2"
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
    counts = [0, 0]
    days = _Formats(sheets[0]), _Formats(sheets[1])
    try:
        for app in apps:
            sheets[0].append(days[0].cells(neutralised(application_row(app, tz))))
            counts[0] += 1
            for row in touch_rows(app, tz):
                sheets[1].append(days[1].cells(neutralised(row)))
                counts[1] += 1
        with _replacing(path, binary=True) as out:
            book.save(out)
    except BaseException:
        _discard(sheets)
        raise
    return Written((path,), *counts)


def _discard(sheets: list[WriteOnlyWorksheet]) -> None:
    """Close each sheet's spool and delete it (openpyxl would only at exit)."""
    for sheet in sheets:
        with suppress(Exception):  # already closed when saving failed
            sheet.close()
        # The spool: openpyxl has no public way to drop it (and its stubs do not say it).
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            with suppress(OSError, ValueError):
                writer.cleanup()


class _Formats:
    """Days and times as real spreadsheet values, shown as ``2026-03-02`` and ``10:00``."""

    def __init__(self, sheet: object) -> None:
        self.sheet = sheet

    def cells(self, row: list[Cell]) -> list[object]:
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415

        out: list[object] = []
        for value in row:
            if isinstance(value, date | time):
                cell = WriteOnlyCell(self.sheet, value=value)  # type: ignore[arg-type]
                cell.number_format = "hh:mm" if isinstance(value, time) else "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(value)
        return out


@contextmanager
def _replacing(path: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A file written under ``path``'s name plus ``.tmp`` (readable by the user only), put
    in ``path``'s place only when the block ends without an error; removed otherwise."""
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    try:
        if binary:
            f: IO[Any] = os.fdopen(fd, "wb")
        else:
            f = os.fdopen(fd, "w", encoding=CSV_ENCODING, newline="")
        with f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    return str(get_column_letter(index))


def _local(at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{local.date().isoformat()} {local.hour:02d}:{local.minute:02d}"


def _names(app: Application, contact_ids: Iterable[str]) -> str:
    return ", ".join(c.name if (c := app.contact(i)) else i for i in contact_ids)


def _contact(c: Contact) -> str:
    """``Ana Sousa (hr, ana@acme.example, +351 912 345 678)``."""
    details = [c.role.value, *(d for d in (c.email, c.phone) if d)]
    return f"{c.name} ({', '.join(details)})"
