"""What commands that correct records share: asking first, and saying what changed.

Every write is one entry in the history (:mod:`followup.services.history`); a correction
prints that entry's words, so the user sees exactly what ``followup undo`` would revert.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from followup.entrypoints.cli.base import Env
from followup.errors import Duplicate, InvalidInput, Refused

T = TypeVar("T")


def newest_entry(env: Env) -> int | None:
    """The id of the newest history entry (taken before a write, to find the one it adds)."""
    from followup.services import history  # noqa: PLC0415

    found = history.entries(env.deps, 1)
    return found[0].id if found else None


#: The most change phrases printed after a command.
SHOWN = 20


def report_change(env: Env, before: int | None) -> int | None:
    """Print the change the last write recorded, with how to undo it; its entry id."""
    from followup.services import history  # noqa: PLC0415

    found = history.entries(env.deps, 1)
    if not found or found[0].id == before:
        click.echo("Nothing changed.")
        return None
    entry = found[0]
    phrases = [phrase for revision in entry.revisions for phrase in revision.what]
    for phrase in phrases[:SHOWN]:
        click.echo(f"  {phrase}")
    if len(phrases) > SHOWN:
        click.echo(f"  ... and {len(phrases) - SHOWN:,} more (followup history --json lists them)")
    click.echo("Undo: followup undo")
    return entry.id


def confirm(env: Env, question: str, yes: bool, refusal: str) -> bool:
    """Ask ``question`` on a terminal; without one, refuse (exit 8) unless ``--yes``."""
    if yes:
        return True
    if not env.interactive:
        raise Refused(refusal)
    return click.confirm(question, default=False)


def unless_duplicate(
    env: Env,
    write: Callable[[bool], T],
    yes: bool,
    verb: str,
    past: str,
    *,
    show: str | None = None,
    stdin_busy: bool = False,
) -> T | None:
    """``write(duplicate_ok)``; when it finds a record like one already there
    (:class:`Duplicate`), whether to ``verb`` it anyway: asked on a terminal, then written
    again, or ``None`` once the user is told it was not (``past``: "added", "saved").

    Without a terminal, or when standard input holds the command's own input
    (``--posting-file -``), refused (exit 8) pointing to ``--yes``. ``show``: what to
    look at with ``followup show`` (default: the record the duplicate names).
    """
    try:
        return write(yes)
    except Duplicate as duplicate:
        if stdin_busy or not env.interactive:
            raise Refused(
                f"{duplicate}; pass --yes to {verb} it anyway", field=duplicate.field
            ) from None
        if not click.confirm(f"{duplicate}. {verb.capitalize()} it anyway?", default=False):
            click.echo(f"Not {past}: see followup show {show or duplicate.existing}")
            return None
    return write(True)


def read_posting(text: str | None, path: str | None) -> str | None:
    """``--posting TEXT`` or ``--posting-file PATH`` (``-``: standard input), not both."""
    if text is not None and path is not None:
        raise InvalidInput("give --posting or --posting-file, not both", field="posting")
    if path is None:
        return text
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise InvalidInput(f"--posting-file: cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"--posting-file: {path} is not UTF-8 text") from None
