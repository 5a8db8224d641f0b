"""Printing for people: Rich tables and colour on a terminal, plain aligned text otherwise.

Rich is imported only when stdout is a terminal, so scripts and pipes never pay for it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import BinaryIO

import click

from followup.domain import words
from followup.domain.model import Action, ActionKind, Channel
from followup.errors import InvalidInput


def is_terminal() -> bool:
    return sys.stdout.isatty()


def write_private(path: str, data: bytes) -> None:
    """Write personal data to ``path``, readable by the user only, whole or not at all."""
    with private_file(path) as f:
        f.write(data)


@contextmanager
def private_file(path: str) -> Iterator[BinaryIO]:
    """A file to write personal data to, a piece at a time: readable by the user only,
    and put at ``path`` only when the writing ended well (never half a file there)."""
    import os  # noqa: PLC0415

    tmp = f"{path}.tmp"
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    except OSError as e:
        raise InvalidInput(f"cannot write {path}: {e.strerror}", field="path") from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.replace(tmp, path)  # never leave half a file where a backup should be
    except OSError as e:
        raise InvalidInput(f"cannot write {path}: {e.strerror}", field="path") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def heading(text: str) -> None:
    click.echo(heading_text(text, is_terminal()))


def heading_text(text: str, colour: bool) -> str:
    return click.style(text, bold=True) if colour else text


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    if is_terminal():
        from rich.console import Console  # noqa: PLC0415
        from rich.table import Table  # noqa: PLC0415

        t = Table(*columns, title=title, title_justify="left")
        for row in rows:
            t.add_row(*row)
        Console().print(t)
        return
    if title:
        click.echo(title)
    widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    for line in [list(columns), *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def next_step(action: Action) -> str:
    """The command that does or records the action."""
    app = action.application
    return {
        ActionKind.PREPARE_INTERVIEW: f"followup script {action.id}",
        ActionKind.DEBRIEF: f"followup debrief {app}",
        ActionKind.THANK_YOU_EMAIL: f"followup draft {action.id}",
        ActionKind.STATUS_CALL: f"followup call {app}",
        ActionKind.STATUS_EMAIL: f"followup draft {action.id}",
        ActionKind.FIND_CONTACT: f"followup contact add {app} NAME --role hr",
        ActionKind.GIVE_UP: f"followup done {action.id}",
        ActionKind.APPLY_MORE: "followup add COMPANY POSITION",
        ActionKind.APPLICATION_FOLLOW_UP: f"followup draft {action.id}"
        if action.channel is not Channel.PHONE
        else f"followup call {app}",
        ActionKind.WITHDRAW: f"followup draft {action.id}"
        if action.channel is Channel.EMAIL
        else f"followup script {action.id}",
    }[action.kind]


def action_block(action: Action, today: date) -> None:
    """One action: when, what, for whom, why, and the next command."""
    click.echo(action_text(action, today, is_terminal()), nl=False)


def action_text(action: Action, today: date, colour: bool) -> str:
    """:func:`action_block`'s three lines as one string, so that a list is written at once."""
    when = words.day(action.due)
    late = words.late(action, today)
    if late is not None:
        when += f" ({late})"
    title = words.action_title(action)
    if action.window is not None:
        title += f", {words.window(action.window)}"
    if colour:
        tint = "red" if action.due < today else "green" if action.due == today else "blue"
        first = f"  {click.style(when, fg=tint)}  {click.style(title, bold=True)}"
    else:
        first = f"  {when}  {title}"
    return (
        f"{first}\n      {action.reason} ({action.rule})\n"
        f"      next: {next_step(action)}   [{action.id}]\n"
    )


def print_actions(
    actions: list[Action], today: date, empty: str = "Nothing to do for now."
) -> None:
    """The actions a change left, each as a block (the commands that change a record end
    with them); here rather than with the commands that list applications, so that a
    write does not import those (issue 12)."""
    if not actions:
        click.echo(f"  {empty}")
    for action in actions:
        action_block(action, today)


def actions_json(actions: list[Action], today: date) -> list[dict[str, object]]:
    from followup.formats.plan import public  # noqa: PLC0415

    return [public(a, today) for a in actions]
