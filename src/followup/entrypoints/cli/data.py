"""Data: import, export, config, doctor."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import table, write_private
from followup.errors import InvalidFile

F = TypeVar("F", bound=Callable[..., Any])

#: ``doctor`` found problems it did not repair.
CHECK_FAILED = 9
#: A followup/1 file from this size on is read in a second process (a few hundred
#: applications: below, starting it would cost more than it saves).
READ_AHEAD_BYTES = 256 * 1024


def import_options(f: F) -> F:
    """The import's options (``followup import``, ``followup server import``)."""
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["json", "csv", "xlsx", "md"]),
            help="The file's format, when its name does not say it (.json, .csv, .xlsx, .md).",
        ),
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="FIELD=COLUMN",
            help="Spreadsheets: read FIELD (company, position, applied_on, status, link, "
            "source, notes) from the column headed COLUMN; FIELD= reads it from none. "
            "Repeatable.",
        ),
        click.option(
            "--status",
            "statuses",
            multiple=True,
            metavar="TEXT=STATUS",
            help="Spreadsheets: a status cell saying TEXT means STATUS (a followup status, or "
            "saved). Repeatable.",
        ),
        click.option(
            "--dry-run",
            is_flag=True,
            help="Spreadsheets: show what would be recorded; write nothing.",
        ),
        click.option(
            "--include-saved",
            is_flag=True,
            help="Spreadsheets: also import jobs only saved (Wishlist, Bookmarked), as "
            "applications.",
        ),
        click.option("--dayfirst", is_flag=True, help="Spreadsheets: read 03/04/2026 as 3 April."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@import_options
@json_option
@now_option
@pass_env
def import_(
    env: Env,
    path: str,
    fmt: str | None,
    maps: tuple[str, ...],
    statuses: tuple[str, ...],
    dry_run: bool,
    include_saved: bool,
    dayfirst: bool,
    out: Formatter,
) -> None:
    """Import a followup/1 file (FORMAT.md; - for stdin), or a spreadsheet of applications
    (.csv, .xlsx, or a markdown table .md): all of it or, if invalid, nothing.

    Records with the same ids are updated, others added; importing a file twice changes
    nothing. A spreadsheet's columns are found by their headers (LinkedIn's Job
    Applications.csv, Huntr, Teal, career-ops, or a sheet of your own); a row matches an
    application already recorded at the same company with the same job link or position.
    """
    import_any(env, path, fmt, out, maps, statuses, dry_run, include_saved, dayfirst)


def import_any(
    env: Env,
    path: str,
    fmt: str | None,
    out: Formatter,
    maps: tuple[str, ...],
    statuses: tuple[str, ...],
    dry_run: bool,
    include_saved: bool,
    dayfirst: bool,
    undo: str | None = None,
    ahead: bool = True,
) -> None:
    """A followup/1 file or a spreadsheet, by ``fmt`` or the file's name; ``undo`` says
    how to take the import back (by default: ``followup undo``, for a spreadsheet);
    ``ahead``: a large followup/1 file may be read in a second process (not by the
    server's commands, whose database pool runs threads: a fork does not copy them)."""
    from followup.formats.sheets.files import format_of  # noqa: PLC0415

    sheet_format = fmt if fmt is not None else format_of(path)
    if sheet_format is not None and sheet_format != "json":
        from followup.entrypoints.cli import sheets  # noqa: PLC0415

        sheets.run(
            env,
            path,
            sheet_format,
            out,
            maps=maps,
            statuses=statuses,
            dry_run=dry_run,
            include_saved=include_saved,
            dayfirst=dayfirst,
            undo=undo,
        )
        return
    if maps or statuses or dry_run or include_saved or dayfirst:
        raise click.UsageError(
            "--map, --status, --dry-run, --include-saved and --dayfirst are for spreadsheets "
            "(.csv, .xlsx, .md, or --format)"
        )
    import_interchange(env, path, out, undo, ahead)


def import_interchange(
    env: Env, path: str, out: Formatter, undo: str | None = None, ahead: bool = True
) -> None:
    """Import a followup/1 file (``followup import``, ``followup server import``); ``undo``
    says how to take it back, when it changed something."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.formats.stream import positional, spooled  # noqa: PLC0415
    from followup.services.interchange import import_file  # noqa: PLC0415

    # The validated records all live until the end: the cyclic garbage collector would
    # rescan them again and again (quadratic), for nothing.
    gc.disable()
    try:
        # Read twice (its frame, then its applications): stdin is copied to a file first.
        source = spooled(sys.stdin.buffer) if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as e:
        raise InvalidFile(f"{path}: cannot be read ({e.strerror})") from None
    try:
        with source:
            # A large file is read and checked in a second process while this one writes.
            try:
                size = source.seek(0, 2)
            except OSError:  # not seekable: the reading says what it can
                size = 0
            read_ahead = bootstrap.read_ahead() if ahead and size >= READ_AHEAD_BYTES else None
            # The file's own name: its folder (an admin's, on a server) is no one's business.
            name = click.format_filename(path, shorten=True) if path != "-" else "standard input"
            # Read by position: the read-ahead process and this one read it at once.
            result = import_file(env.deps, positional(source), env.now, read_ahead, name)
    except InvalidFile as e:
        raise InvalidFile(f"{path}: {e}") from None

    def text() -> None:
        click.echo(
            f"Imported {path}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged application(s)."
        )
        if result.settings:
            click.echo(f"Settings changed: {'; '.join(result.settings)}.")
        if undo and (result.created or result.updated or result.settings_changed):
            click.echo(undo)

    out.show(
        {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "settings_changed": result.settings_changed,
            "settings": list(result.settings),
        },
        text,
    )


#: The export's forms, by the file's extension; any other name gets the followup/1 file.
EXPORT_FORMS = {".csv": "csv", ".xlsx": "xlsx"}


@click.command()
@click.argument(
    "path", metavar="[FILE]", required=False, type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["json", "csv", "xlsx"]),
    help="json (followup/1), csv or xlsx; by default chosen by FILE's extension.",
)
@pass_env
def export(env: Env, path: str | None, form: str | None) -> None:
    """Export everything as a followup/1 file (FORMAT.md) to FILE, or to stdout.

    FILE.csv or FILE.xlsx (or --format) writes a spreadsheet instead: the applications,
    and the history of touches (XLSX: a second sheet; CSV: a second file, FILE-touches.csv).
    A cell a spreadsheet would run as a formula starts with a ' (it is kept as text).
    """
    import os  # noqa: PLC0415

    if form is None:
        form = EXPORT_FORMS.get(os.path.splitext(path or "")[1].lower(), "json")
    if form != "json":
        _export_sheet(env, path, form)
        return
    import orjson  # noqa: PLC0415

    from followup.services.interchange import export_data  # noqa: PLC0415

    gc.disable()  # as in import_
    data = orjson.dumps(export_data(env.deps), option=orjson.OPT_INDENT_2) + b"\n"
    if path is None or path == "-":
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
        return
    write_private(path, data)
    click.echo(f"Exported to {path}.", err=True)


def _export_sheet(env: Env, path: str | None, form: str) -> None:
    from followup.services import sheet_export  # noqa: PLC0415

    if path is None or path == "-":
        raise click.UsageError(f"a {form} export needs a FILE to write (not stdout)")
    written = sheet_export.export(env.deps, path, form)
    click.echo(
        f"Exported {written.applications} application(s) and {written.touches} touch(es)"
        f" to {' and '.join(written.paths)}.",
        err=True,
    )


@click.group()
def config() -> None:
    """Show or change the settings: time zone, country, and the policy of every rule."""


@config.command("show")
@json_option
@pass_env
def config_show(env: Env, out: Formatter) -> None:
    """Show every setting with its value, default and rule."""
    from followup.services import settings  # noqa: PLC0415

    rows = settings.describe(settings.show(env.deps)) + settings.describe_mail(env.deps)

    def text() -> None:
        table(
            ["key", "value", "default", "rule", "meaning"],
            [
                [
                    r.key,
                    "" if r.value is None else str(r.value),
                    "" if r.default is None else str(r.default),
                    r.rule,
                    r.help,
                ]
                for r in rows
            ],
        )

    out.show({r.key: r.value for r in rows}, text)


@config.command("set")
@click.argument("key")
@click.argument("value")
@json_option
@now_option
@pass_env
def config_set(env: Env, key: str, value: str, out: Formatter) -> None:
    """Set KEY to VALUE (e.g. timezone Europe/Lisbon, country PT, first_follow_up_days 5,
    mail.smtp_host smtp.example.com).

    Every application is re-planned with a new time zone, country or policy. Mail
    passwords are not settings: see followup mail password.
    """
    from followup.services import settings  # noqa: PLC0415

    rows = settings.describe(settings.set_value(env.deps, key, value, now=env.now))

    def text() -> None:
        click.echo(f"{key} = {value.strip()}")

    out.show({r.key: r.value for r in rows}, text)


@click.command()
@click.option(
    "--repair", is_flag=True, help="Rebuild the stored plan from the records if it differs."
)
@json_option
@pass_env
def doctor(env: Env, repair: bool, out: Formatter) -> None:
    """Check the database, and that the stored plan equals a fresh plan of the records."""
    from followup.services.doctor import check  # noqa: PLC0415

    report = check(env.deps, repair=repair)

    def text() -> None:
        if report.ok:
            click.echo(f"All good: {report.applications} application(s), the stored plan is exact.")
            return
        for problem in report.problems:
            click.echo(f"problem: {problem}")
        if report.repaired:
            click.echo("Repaired: the stored plan was rebuilt from the records.")
        else:
            click.echo("Run followup doctor --repair to rebuild the stored plan.")

    out.show(
        {
            "ok": report.ok,
            "applications": report.applications,
            "problems": report.problems,
            "repaired": report.repaired,
        },
        text,
    )
    if not report.ok and not report.repaired:
        sys.exit(CHECK_FAILED)
