"""``followup report``: the proof of applications for a period (text, CSV, HTML or PDF)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import heading, is_terminal, table, write_private

if TYPE_CHECKING:
    from followup.domain.proof import Proof

#: ``-o FILE``'s extension chooses the format when ``--format`` is not given.
BY_EXTENSION = {".csv": "csv", ".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "text"}


@click.command()
@click.option("--from", "first", metavar="DATE", help="First day (default: the 1st of the month).")
@click.option("--to", "last", metavar="DATE", help="Last day, included (default: today).")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "csv", "pdf", "html"]),
    help="text, csv, pdf or html; by default chosen by -o FILE's extension, else text.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to FILE (whole or not at all) instead of stdout; a PDF needs one.",
)
@json_option
@now_option
@pass_env
def report(
    env: Env,
    first: str | None,
    last: str | None,
    form: str | None,
    output: str | None,
    out: Formatter,
) -> None:
    """A proof of applications: every application, email, call and interview of a period.

    Each line has the date, the company, the position, how (application, email, phone,
    interview), the contact person and the outcome, then the totals; with your name from
    the settings (followup config set name "Your Name"). Days are in your time zone;
    DATE is 2026-03-01, today, -30d, ...
    """
    from followup.formats import proof as layout  # noqa: PLC0415
    from followup.services import proof as service  # noqa: PLC0415

    if not out.for_people and (form or output):
        raise click.UsageError("--json prints the proof on stdout: leave out --format and -o")
    if form is None:
        ext = os.path.splitext(output or "")[1].lower()
        form = BY_EXTENSION.get(ext, "text") if output not in (None, "-") else "text"
    to_stdout = output is None or output == "-"
    if form == "pdf" and to_stdout and (output is None or is_terminal()):
        raise click.UsageError("a PDF needs -o FILE (or -o - into a pipe)")
    start, end = service.period(env.deps, first, last, env.now, labels=("--from", "--to"))
    proof = service.proof(env.deps, start, end, env.now)

    if form == "text" and to_stdout:
        out.show(lambda: layout.as_json(proof), lambda: _show(proof))
        return
    if form == "text":
        data = _text(proof).encode()
    elif form == "csv":
        data = layout.to_csv(proof).encode("utf-8-sig" if not to_stdout else "utf-8")
    elif form == "html":
        data = layout.html_document(proof).encode()
    else:
        from followup.formats.proof_pdf import find_font, to_pdf  # noqa: PLC0415

        data = to_pdf(proof, find_font())
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        return
    assert output is not None
    write_private(output, data)
    click.echo(f"Wrote the proof of {len(proof.lines)} line(s) to {output}.", err=True)


def _show(proof: Proof) -> None:
    from followup.formats import proof as layout  # noqa: PLC0415

    heading(layout.TITLE)
    click.echo(layout.name_line(proof) if proof.name else _NO_NAME)
    click.echo(layout.period_line(proof))
    click.echo()
    if proof.lines:
        table([h.lower() for h in layout.HEADERS], [layout.shown(line) for line in proof.lines])
    else:
        click.echo("No application and no contact in this period.")
    click.echo()
    click.echo(layout.totals_line(proof))


def _text(proof: Proof) -> str:
    from followup.formats import proof as layout  # noqa: PLC0415

    rows = [list(layout.HEADERS), *(layout.shown(line) for line in proof.lines)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(layout.HEADERS))]
    lines = [
        layout.TITLE,
        layout.name_line(proof) if proof.name else _NO_NAME,
        layout.period_line(proof),
        "",
        *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows),
        "",
        layout.totals_line(proof),
    ]
    return "\n".join(lines) + "\n"


_NO_NAME = 'Name: (not set: followup config set name "Your Name")'
