"""The plan in your calendar and in a daily digest: ics, feed, digest (issue 5)."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

import click

from followup.domain import words
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import private_file

if TYPE_CHECKING:
    from followup.domain.digest import Digest
    from followup.domain.model import Action
    from followup.services.digest import Sent

DEFAULT_URL = "http://127.0.0.1:8765"


def detail_options(f: click.decorators.FC) -> click.decorators.FC:
    f = click.option(
        "--phones", is_flag=True, help="Show the phone number to call (off by default)."
    )(f)
    return click.option(
        "--notes", is_flag=True, help="Show your notes on each application (off by default)."
    )(f)


@click.command()
@click.argument(
    "path", metavar="[FILE]", required=False, type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option(
    "--days",
    type=click.IntRange(0, 3650),
    default=365,
    show_default=True,
    help="How far ahead to include actions.",
)
@detail_options
@now_option
@pass_env
def ics(env: Env, path: str | None, days: int, notes: bool, phones: bool) -> None:
    """Export the plan and the interviews as an iCalendar file, to FILE or stdout.

    Each action is an event on its due day (a call at the start of its contact window);
    overdue ones are on today. Importing the file again updates the events instead of
    adding copies. To keep a calendar up to date by itself, subscribe to the feed
    instead (followup feed new).
    """
    from followup.domain.agenda import Detail  # noqa: PLC0415
    from followup.services import agenda  # noqa: PLC0415

    detail = Detail(notes=notes, phones=phones)
    # The collector off while the calendar is made: it makes no reference cycles, and a
    # backlog's 150,000 actions held for sorting made each collection walk them all
    # (issue 12: a tenth of ``ics`` at 100,000). Memory is freed as ever, by counting.
    gc.disable()
    try:
        if path is None or path == "-":
            out = sys.stdout.buffer
            agenda.write_calendar(env.deps, out, env.now, days, detail)
            out.flush()
            return
        with private_file(path) as f:  # written as it is made: never held whole
            agenda.write_calendar(env.deps, f, env.now, days, detail)
    finally:
        gc.enable()
    click.echo(f"Wrote {path}.", err=True)


@click.group(invoke_without_command=True)
@pass_env
@click.pass_context
def feed(ctx: click.Context, env: Env) -> None:
    """The calendar feed: a secret address that your calendar app subscribes to.

    `followup serve` serves it. The address is shown once, when it is made; make a new one
    if you lose it or if it leaked (the old one stops working at once).
    """
    if ctx.invoked_subcommand is not None:
        return
    from followup.services import agenda  # noqa: PLC0415

    current = agenda.current(env.deps)
    if current is None:
        click.echo("No calendar feed. Make one with: followup feed new")
        return
    shown = [
        what
        for what, on in (("notes", current.detail.notes), ("phones", current.detail.phones))
        if on
    ]
    click.echo(
        f"A calendar feed exists since {words.day(current.created_at.astimezone(env.tz).date())}"
        f" (showing the plan{''.join(f', {s}' for s in shown)})."
    )
    click.echo(
        "Its address is not stored, only a hash of it: if you lost it, run followup feed new."
    )


@feed.command("new")
@click.option(
    "--url",
    "base",
    default=DEFAULT_URL,
    show_default=True,
    help="Where followup serve can be reached.",
)
@detail_options
@now_option
@pass_env
def feed_new(env: Env, base: str, notes: bool, phones: bool) -> None:
    """Make a new feed address (the previous one stops working) and print it once."""
    from followup.domain.agenda import Detail  # noqa: PLC0415
    from followup.services import agenda  # noqa: PLC0415

    token = agenda.new_feed(env.deps, env.now, Detail(notes=notes, phones=phones))
    click.echo(f"{base.rstrip('/')}/calendar/{token}.ics")
    click.echo(
        "Subscribe to this address in your calendar app while followup serve runs. Keep it"
        " secret: anyone who has it sees your plan. It is shown only this once.",
        err=True,
    )


@feed.command("off")
@pass_env
def feed_off(env: Env) -> None:
    """Turn the feed off: its address answers 404 from now on."""
    from followup.services import agenda  # noqa: PLC0415

    if agenda.turn_off(env.deps):
        click.echo("The calendar feed is off; its address no longer works.")
    else:
        click.echo("There was no calendar feed.")


@click.command()
@click.option("--send", is_flag=True, help="Email it to your address (mail.address) too.")
@click.option(
    "--peek", is_flag=True, help="Show it without remembering it (the next one marks the same)."
)
@json_option
@now_option
@pass_env
def digest(env: Env, send: bool, peek: bool, out: Formatter) -> None:
    """Today's plan in a few lines: overdue, today, the coming week, and what is new.

    Made for a daily cron job or systemd timer (see the README). Running it twice a day,
    or after days off, loses nothing and marks nothing new twice. With --send, it is
    emailed at most once a day unless something new came up.
    """
    from followup.services import digest as digests  # noqa: PLC0415

    if send and peek:
        raise click.UsageError("--send remembers what it sent: use it without --peek")
    if send:
        from followup import bootstrap  # noqa: PLC0415

        result = digests.send(env.deps, bootstrap.mailer(env.deps), env.now)
        made = result.digest
        out.show(lambda: {**_json(made), "sent": result.sent}, lambda: _said(result))
        return
    made = digests.make(env.deps, env.now, remember=not peek)
    out.show(lambda: _json(made), lambda: _print_digest(made))


def _said(result: Sent) -> None:
    if result.sent:
        click.echo(f"Sent today's digest to {result.recipient}.")
    else:
        click.echo("Today's digest was already sent and nothing is new since: not sent again.")


def _print_digest(made: Digest) -> None:
    from followup.domain.digest import text  # noqa: PLC0415

    click.echo(text(made), nl=False)


def _json(made: Digest) -> dict[str, object]:
    from followup.formats.plan import public  # noqa: PLC0415

    def actions(found: tuple[Action, ...]) -> list[dict[str, object]]:
        return [{**public(a, made.today), "new": a.id in made.new} for a in found]

    return {
        "now": made.now.isoformat(),
        "today": made.today.isoformat(),
        "previous": made.previous.made_at.isoformat() if made.previous else None,
        "overdue": actions(made.overdue),
        "due_today": actions(made.due_today),
        "coming": actions(made.coming),
        "interviews": [
            {
                "application": s.application,
                "interview": s.interview_id,
                "company": s.company,
                "position": s.position,
                "at": s.at.isoformat(),
                "interviewers": list(s.interviewers),
            }
            for s in made.interviews
        ],
    }
