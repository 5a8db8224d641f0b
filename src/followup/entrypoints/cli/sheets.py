"""``followup import FILE.csv|.xlsx|.md``: a spreadsheet of applications, or a dry run of it.

Loaded by ``import`` only for a spreadsheet; the readers (openpyxl, python-dateutil) are
imported further down still, when a file is read.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING, Any

import click

from followup.entrypoints.cli.formatter import Formatter
from followup.errors import InvalidFile, InvalidInput

if TYPE_CHECKING:
    from followup.entrypoints.cli.base import Env


def run(
    env: Env,
    path: str,
    fmt: str,
    out: Formatter,
    *,
    maps: tuple[str, ...],
    statuses: tuple[str, ...],
    dry_run: bool,
    include_saved: bool,
    dayfirst: bool,
    undo: str | None = None,
) -> None:
    from followup.formats.sheets.columns import MapError, parse_map  # noqa: PLC0415
    from followup.formats.sheets.rows import Options, parse_statuses  # noqa: PLC0415
    from followup.formats.stream import rereadable, spooled  # noqa: PLC0415
    from followup.services import sheets  # noqa: PLC0415

    try:
        mapping = parse_map(maps)
    except MapError as e:
        raise InvalidInput(str(e), field="map") from None
    options = Options(fmt, mapping, parse_statuses(statuses), dayfirst)
    source = _open(path, spooled)
    try:
        with source:
            opener = rereadable(source)
            if dry_run:
                found = sheets.preview(
                    env.deps, opener, options, include_saved=include_saved, now=env.now
                )
                out.show(lambda: _preview_json(found), lambda: _print_preview(path, found))
                if not found.ok:
                    sys.exit(InvalidFile.exit_code)
                return
            done = sheets.import_sheet(
                env.deps,
                opener,
                options,
                include_saved=include_saved,
                name=click.format_filename(path),
                now=env.now,
            )
    except InvalidFile as e:
        raise InvalidFile(f"{path}: {e}", remedy=e.remedy, subject=e.subject) from None
    counts = done.counts
    out.show(
        lambda: {**_counts_json(counts), "layout": done.mapping.layout},
        lambda: _print_done(path, counts, undo),
    )


def _open(path: str, spooled: Any) -> IO[bytes]:
    try:
        # Read twice (checked, then written): stdin is copied to a file first.
        return spooled(sys.stdin.buffer) if path == "-" else open(path, "rb")
    except OSError as e:
        raise InvalidFile(f"{path}: cannot be read ({e.strerror})") from None


def _counts_json(counts: Any) -> dict[str, int]:
    return {
        "rows": counts.rows,
        "created": counts.created,
        "completed": counts.completed,
        "unchanged": counts.unchanged,
        "saved_skipped": counts.saved_skipped,
    }


def _saved_note(counts: Any) -> str:
    if not counts.saved_skipped:
        return ""
    return (
        f"; {counts.saved_skipped} row(s) of jobs only saved, not applied for, left out "
        "(--include-saved imports them)"
    )


def _print_done(path: str, counts: Any, undo: str | None) -> None:
    click.echo(
        f"Imported {path}: {counts.created} new, {counts.completed} completed, "
        f"{counts.unchanged} unchanged application(s){_saved_note(counts)}."
    )
    if counts.created or counts.completed:
        click.echo(undo or "followup undo takes the whole import back.")


def _mapping_json(mapping: Any) -> dict[str, Any]:
    return {
        "layout": mapping.layout,
        "columns": {name: mapping.header(name) for name in mapping.columns},
        "constants": mapping.constants,
        "not_imported": mapping.unused,
    }


def _row_json(row: Any) -> dict[str, Any]:
    return {
        "row": row.number,
        "company": row.company,
        "position": row.position,
        "status": row.status,
        "applied_on": row.applied_on.isoformat() if row.applied_on else None,
        "link": row.link,
        "source": row.source,
        "notes": row.notes,
    }


def _preview_json(found: Any) -> dict[str, Any]:
    return {
        "dry_run": True,
        **_mapping_json(found.mapping),
        "header_row": found.header_row,
        "first_rows": [_row_json(r) for r in found.first],
        "problems": found.problems,
        "problem_count": found.problem_count,
        **(_counts_json(found.counts) if found.ok else {}),
    }


def _print_preview(path: str, found: Any) -> None:
    from followup.entrypoints.cli.output import table  # noqa: PLC0415
    from followup.formats.sheets.columns import FIELDS  # noqa: PLC0415

    mapping = found.mapping
    click.echo(f"Dry run of {path}: nothing was written.")
    click.echo(f"Layout: {mapping.layout}, headers in {found.place} {found.header_row}.")
    for name in FIELDS:
        if name in mapping.columns:
            click.echo(f"  {name:<10} <- {mapping.header(name)!r}")
        elif name in mapping.constants:
            click.echo(f"  {name:<10} =  {mapping.constants[name]!r} (every row)")
        else:
            click.echo(f"  {name:<10}    (no column)")
    if mapping.unused:
        click.echo(f"Not imported: {', '.join(repr(h) for h in mapping.unused)}.")
    if mapping.note:
        click.echo(f"({mapping.layout}: {mapping.note}.)")
    if found.first:
        click.echo("First rows as they would be recorded:")
        table(
            [found.place, "company", "position", "status", "applied", "link"],
            [
                [
                    str(r.number),
                    r.company,
                    r.position,
                    r.status,
                    r.applied_on.isoformat() if r.applied_on else "",
                    r.link or "",
                ]
                for r in found.first
            ],
        )
    if not found.ok:
        click.echo(f"{found.problem_count} problem(s); the import would refuse the file:")
        for problem in found.problems:
            click.echo(f"  {problem}")
        if found.problem_count > len(found.problems):
            click.echo(f"  ... and {found.problem_count - len(found.problems)} more")
        return
    counts = found.counts
    click.echo(
        f"Would add {counts.created}, complete {counts.completed} and leave "
        f"{counts.unchanged} unchanged, from {counts.rows} row(s){_saved_note(counts)}."
    )
