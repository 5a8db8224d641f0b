"""The proof of applications as text for people, as CSV, and as an HTML document.

Each layout shows the same columns (:data:`HEADERS`) of the same lines, and the same
totals sentence; the PDF (:mod:`followup.formats.proof_pdf`) does too.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from typing import TYPE_CHECKING

from followup.domain import words
from followup.domain.proof import APPLICATION, EMAIL, INTERVIEW, PHONE, Proof, ProofLine
from followup.formats.cells import Cell, as_text, neutralised

if TYPE_CHECKING:
    import jinja2

TITLE = "Proof of applications"
HEADERS = ("Date", "Time", "Company", "Position", "How", "Contact person", "Outcome")
_NOUNS = {
    APPLICATION: "application",
    EMAIL: "email",
    PHONE: "phone call",
    INTERVIEW: "interview",
    "companies": "company",
}


def cells(line: ProofLine) -> list[Cell]:
    return [
        line.day,
        line.at,
        line.company,
        line.position,
        line.how,
        line.contact,
        line.outcome,
    ]


def shown(line: ProofLine) -> list[str]:
    """A line as a person reads it: ``Mon 2 Mar 2026``, ``10:00``."""
    at = words.clock(line.at) if line.at else ""
    return [words.day(line.day), at, *(str(c) for c in cells(line)[2:])]


def name_line(proof: Proof) -> str:
    return f"Name: {proof.name}" if proof.name else "Name:"


def period_line(proof: Proof) -> str:
    return f"Period: {words.day(proof.first)} to {words.day(proof.last)} (days in {proof.timezone})"


def totals_line(proof: Proof) -> str:
    """``Totals: 3 applications, 2 emails, 0 phone calls, 1 interview, at 3 companies.``"""
    totals = dict(proof.totals)
    counted = [_count(totals[kind], kind) for kind in (APPLICATION, EMAIL, PHONE, INTERVIEW)]
    return f"Totals: {', '.join(counted)}, at {_count(totals['companies'], 'companies')}."


def _count(count: int, kind: str) -> str:
    noun = _NOUNS[kind]
    if count == 1:
        return f"1 {noun}"
    return f"{count} {'companies' if noun == 'company' else noun + 's'}"


def as_json(proof: Proof) -> dict[str, object]:
    """``report --json``: the period, the name, each line and the totals by kind."""
    return {
        "from": proof.first.isoformat(),
        "to": proof.last.isoformat(),
        "name": proof.name,
        "timezone": proof.timezone,
        "made_on": proof.made_on.isoformat(),
        "lines": [
            {
                "date": line.day.isoformat(),
                "time": words.clock(line.at) if line.at else None,
                "company": line.company,
                "position": line.position,
                "how": line.how,
                "contact": line.contact or None,
                "outcome": line.outcome,
                "kind": line.kind,
                "application": line.application,
            }
            for line in proof.lines
        ],
        "totals": dict(proof.totals),
    }


def to_csv(proof: Proof) -> str:
    """The lines under :data:`HEADERS`: ISO days, ``HH:MM`` times, formulas neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for line in proof.lines:
        writer.writerow(as_text(c) for c in neutralised(cells(line)))
    return out.getvalue()


#: The HTML templates of the proof (the table, and the page around it for ``--format html``).
TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")


def html_table(proof: Proof, link: bool = False) -> str:
    """The table and its totals, escaped (the web page puts it inside its own layout)."""
    return _environment().get_template("proof_table.html.j2").render(**_context(proof, link))


def html_document(proof: Proof) -> str:
    """A page of its own, with its print style inside: open it and print it."""
    table = html_table(proof)
    from markupsafe import Markup  # noqa: PLC0415

    return (
        _environment()
        .get_template("proof.html.j2")
        .render(table=Markup(table), **_context(proof, False))  # noqa: S704 - escaped above
    )


def _context(proof: Proof, link: bool) -> dict[str, object]:
    return {
        "proof": proof,
        "rows": [(_href(line) if link else None, shown(line)) for line in proof.lines],
        "headers": HEADERS,
        "title": TITLE,
        "name": proof.name,
        "period": period_line(proof),
        "totals": totals_line(proof),
        "made_on": words.day(proof.made_on),
    }


def _href(line: ProofLine) -> str:
    from urllib.parse import quote  # noqa: PLC0415

    return "/applications/" + quote(line.application, safe="")


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2  # noqa: PLC0415 - only the HTML layouts need it

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
