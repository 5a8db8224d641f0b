"""The history of changes, and undo: every command that writes is one entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.presenting import local_time
from followup.errors import InvalidInput

if TYPE_CHECKING:
    from followup.domain.history import Entry


def entry_json(entry: Entry) -> dict[str, object]:
    """One entry as ``history --json`` prints it (README, "The history")."""
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "summary": entry.summary,
        "changes": [phrase for r in entry.revisions for phrase in r.what],
        "undoes": entry.undoes,
        "undone_by": entry.undone_by,
    }


@click.command()
@click.option(
    "--limit",
    type=click.IntRange(1, 500),
    default=50,
    show_default=True,
    help="How many entries.",
)
@click.option("--before", type=int, metavar="ID", help="Only entries older than entry ID.")
@json_option
@now_option
@pass_env
def history(env: Env, limit: int, before: int | None, out: Formatter) -> None:
    """The changes you made, newest first: each command, form or API call that wrote."""
    from followup.services import history as service  # noqa: PLC0415

    found = service.entries(env.deps, limit, before)

    def text() -> None:
        if not found:
            click.echo("No changes yet." if before is None else f"No changes before {before}.")
            return
        for entry in found:
            mark = f"  (undone by {entry.undone_by})" if entry.undone_by is not None else ""
            click.echo(f"{entry.id:>5}  {local_time(entry.at, env.tz)}  {entry.summary}{mark}")
            for phrase in _beyond_summary(entry):
                click.echo(f"         {phrase}")
        if len(found) == limit:
            click.echo(f"Older: followup history --before {found[-1].id}")

    out.show(lambda: [entry_json(e) for e in found], text)


@click.command()
@json_option
@now_option
@pass_env
def undo(env: Env, out: Formatter) -> None:
    """Revert the newest change not yet undone; again, the one before it, and so on.

    Refused, changing nothing, when a record it would restore was changed since.
    """
    from dataclasses import replace  # noqa: PLC0415

    from followup.services import history as service  # noqa: PLC0415

    done = service.undo(env.deps, now=env.now)

    def text() -> None:
        click.echo(f"Undid change {done.entry.id}: {done.entry.summary}")
        for phrase in _beyond_summary(done.entry):
            click.echo(f"  {phrase}")

    out.show(
        lambda: {
            "undone": entry_json(replace(done.entry, undone_by=done.undo)),
            "entry": done.undo,
        },
        text,
    )


@click.command()
@click.option("--before", metavar="DATE", help="Forget the changes made before this day.")
@click.option("--all", "everything", is_flag=True, help="Forget every change.")
@click.option("--yes", is_flag=True, help="Do not ask (needed without a terminal).")
@json_option
@now_option
@pass_env
def forget(env: Env, before: str | None, everything: bool, yes: bool, out: Formatter) -> None:
    """Forget the history of the changes made before DATE (or of all of them): they can no
    longer be undone, and what they removed (a deleted application, an old value) is no
    longer kept anywhere to bring back. Your records stay as they are."""
    from followup.domain import words  # noqa: PLC0415
    from followup.entrypoints.cli.changes import confirm  # noqa: PLC0415
    from followup.services import history as service  # noqa: PLC0415

    if everything == (before is not None):
        raise InvalidInput("give --before DATE or --all, one of them", field="before")
    day = None if before is None else env.day(before, "--before")
    which = "every change" if day is None else f"the changes made before {words.day(day)}"
    question = (
        f"Forget {which}? They can no longer be undone, and what they removed is gone for good."
    )
    if not confirm(
        env, question, yes, "forgetting asks first, and there is no terminal: pass --yes"
    ):
        click.echo("Nothing forgotten.")
        return
    gone = service.forget(env.deps, day)
    out.show(
        lambda: {"forgotten": gone},
        lambda: click.echo(f"Forgot {gone} change{'' if gone == 1 else 's'} of the history."),
    )


#: The most change phrases printed for one entry (an import may change 100,000 records).
SHOWN = 20


def _beyond_summary(entry: Entry) -> list[str]:
    """The entry's change phrases (the first :data:`SHOWN`), unless its summary already says
    them all; ``--json`` lists every one."""
    phrases = [phrase for r in entry.revisions for phrase in r.what]
    if entry.summary == "; ".join(phrases):
        return []
    if len(phrases) > SHOWN:
        return [*phrases[:SHOWN], f"... and {len(phrases) - SHOWN:,} more"]
    return phrases
