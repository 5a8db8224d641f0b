"""The proof of applications as a PDF, laid out with fpdf2.

fpdf2 is pure Python and needs no system library or browser: a PDF is made in a
fraction of a second, where printing the page with a headless Chromium would start a
browser of a few hundred megabytes that a user may not have. The page is A4 landscape
(the seven columns fit without cramping), the table's headings repeat on every page,
each page says "page n of m", and the last one has a line for the date and signature.

PDF's built-in fonts know Latin-1 only. A Unicode TrueType font found on the machine
(DejaVu Sans, which most Linux systems have, or Arial on macOS and Windows) is embedded
(the characters used only) so that any name prints; without one, letters outside Latin-1
lose their accents (Łódź prints as Lodz) and what is left prints as ``?``.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from followup.domain import words
from followup.domain.proof import Proof
from followup.formats import proof as layout

if TYPE_CHECKING:
    from fpdf.table import Table

#: Unicode fonts looked for, regular then bold: Debian/Ubuntu, Fedora, Arch, macOS, Windows.
FONTS: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", ""),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", ""),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"),
)
#: Column widths in millimetres (277 mm between the margins of A4 landscape).
WIDTHS = (30, 13, 46, 50, 38, 42, 58)


def find_font() -> tuple[str, str] | None:
    """``(regular, bold)`` paths of the first Unicode font present (bold may be the
    regular one again), or ``None``."""
    for regular, bold in FONTS:
        if os.path.isfile(regular):
            return regular, bold if bold and os.path.isfile(bold) else regular
    return None


def to_pdf(proof: Proof, font: tuple[str, str] | None = None) -> bytes:
    """The PDF's bytes; ``font`` is a ``(regular, bold)`` TrueType pair, or the built-in
    Helvetica when ``None``."""
    from fpdf import FPDF  # noqa: PLC0415 - only the PDF needs it (and it is not small)
    from fpdf.fonts import FontFace  # noqa: PLC0415

    family = "proof" if font is not None else "helvetica"

    class _Pages(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(family, size=8)
            self.cell(0, 5, f"{layout.TITLE} · page {self.page_no()} of {{nb}}", align="C")

    pdf = _Pages(orientation="landscape", format="A4", unit="mm")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(auto=True, margin=14)
    text: Callable[[str], str] = latin1
    if font is not None:
        pdf.add_font(family, "", font[0])
        pdf.add_font(family, "B", font[1])
        text = str
    pdf.set_title(text(f"{layout.TITLE}: {proof.name}" if proof.name else layout.TITLE))
    pdf.set_creator("followup")
    pdf.add_page()

    pdf.set_font(family, "B", 15)
    pdf.cell(0, 9, text(layout.TITLE), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    name = layout.name_line(proof) if proof.name else "Name: " + "_" * 40
    for said in (name, layout.period_line(proof), f"Made on {words.day(proof.made_on)}"):
        pdf.cell(0, 6, text(said), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font(family, size=8.5)
    grey = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(
        col_widths=WIDTHS,
        headings_style=grey,
        line_height=4.6,
        text_align="LEFT",
        repeat_headings=1,
    ) as table:
        _row(table, layout.HEADERS, text)
        for line in proof.lines:
            _row(table, layout.shown(line), text)
        if not proof.lines:
            empty = "No application and no contact in this period."
            _row(table, ["", "", empty, "", "", "", ""], text)

    pdf.ln(3)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(0, 6, text(layout.totals_line(proof)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font(family, size=10)
    pdf.cell(0, 6, text("Date and signature: " + "_" * 40), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def latin1(value: str) -> str:
    """``value`` in the built-in fonts' Latin-1: accents outside it dropped (Ł -> L), the
    rest as ``?``. Typographic dashes and quotes become their plain forms first."""
    plain = value.translate(_PLAIN)
    if _fits(plain):
        return plain
    out = []
    for ch in plain:
        if _fits(ch):
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or _SPECIAL.get(ch, "?"))
    return "".join(out)


_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})
#: Letters NFKD does not take apart (no combining mark in them).
_SPECIAL = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Œ": "OE", "œ": "oe"}


def _fits(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _row(table: Table, cells: Sequence[str], text: Callable[[str], str]) -> None:
    row = table.row()
    for cell in cells:
        row.cell(text(cell))
