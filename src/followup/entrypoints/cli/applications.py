"""Applications: add, list, show, status, snooze."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from followup.domain import words
from followup.domain.model import Action, Application, Status
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import (
    actions_json,
    heading,
    print_actions,
    table,
)
from followup.entrypoints.presenting import timeline

if TYPE_CHECKING:
    from followup.services.records import Saved

STATUSES = click.Choice([s.value for s in Status])


@click.command()
@click.argument("company")
@click.argument("position")
@click.option(
    "--applied", metavar="DATE", help="When you applied (default: unknown). E.g. today, 2026-03-01."
)
@click.option("--link", help="The job ad's address.")
@click.option("--source", help="Where you found it (a job board, a friend...).")
@click.option("--notes", help="Anything worth keeping.")
@click.option(
    "--id", "app_id", help="Choose the application's id (default: from company and position)."
)
@click.option("--posting", metavar="TEXT", help="The job posting's text, kept with it.")
@click.option(
    "--posting-file", metavar="PATH", help="Read the job posting from a file ('-': stdin)."
)
@click.option(
    "--yes", is_flag=True, help="Add it even if the same position at that company is recorded."
)
@json_option
@now_option
@pass_env
def add(
    env: Env,
    company: str,
    position: str,
    applied: str | None,
    link: str | None,
    source: str | None,
    notes: str | None,
    app_id: str | None,
    posting: str | None,
    posting_file: str | None,
    yes: bool,
    out: Formatter,
) -> None:
    """Record an application: a COMPANY and a POSITION you applied for (or will).

    The same position at the same company again is usually a mistake: followup asks
    first, and without a terminal refuses it unless --yes.
    """
    from followup.entrypoints.cli.changes import read_posting, unless_duplicate  # noqa: PLC0415
    from followup.services import applications, records  # noqa: PLC0415

    posting = read_posting(posting, posting_file)

    def save(duplicate_ok: bool) -> records.Saved:
        return applications.add_application(
            env.deps,
            company,
            position,
            applied_on=env.day(applied, "--applied") if applied else None,
            link=link,
            source=source,
            notes=notes,
            app_id=app_id,
            posting=posting,
            duplicate_ok=duplicate_ok,
            now=env.now,
        )

    saved = unless_duplicate(env, save, yes, "add", "added", stdin_busy=posting_file == "-")
    if saved is None:
        return

    def text() -> None:
        app = saved.application  # as stored: trimmed, not as typed
        click.echo(f"Added {app.id}: {app.company}, {app.position}.")
        click.echo("Next: record the interview when you get one (followup interview ID WHEN).")

    out.show(lambda: application_json(saved.application, saved.actions, env.today), text)


@click.command("list")
@click.option("--status", type=STATUSES, help="Only applications with this status.")
@json_option
@now_option
@pass_env
def list_(env: Env, status: str | None, out: Formatter) -> None:
    """List applications with their status and next action."""
    from followup.services import applications  # noqa: PLC0415

    items = applications.list_applications(env.deps, Status(status) if status else None, env.now)
    items.sort(key=lambda s: (s.actions[0].due if s.actions else date.max, s.application.id))
    today = env.today

    def text() -> None:
        if not items:
            click.echo("No applications yet. Add one: followup add COMPANY POSITION")
            return
        rows = [
            [
                s.application.id,
                s.application.company,
                s.application.position,
                s.application.status.value,
                f"{words.day(s.actions[0].due)} {s.actions[0].kind.value}" if s.actions else "-",
            ]
            for s in items
        ]
        table(["id", "company", "position", "status", "next"], rows)

    out.show(
        lambda: [
            {
                "id": s.application.id,
                "company": s.application.company,
                "position": s.application.position,
                "status": s.application.status.value,
                "applied_on": _iso(s.application.applied_on),
                "next_action": actions_json(s.actions[:1], today)[0] if s.actions else None,
            }
            for s in items
        ],
        text,
    )


#: How many lines of the job posting ``show`` prints before folding it.
POSTING_LINES = 3


@click.command()
@click.argument("app_id", metavar="APP")
@click.option("--posting", "whole_posting", is_flag=True, help="Print the whole job posting.")
@json_option
@now_option
@pass_env
def show(env: Env, app_id: str, whole_posting: bool, out: Formatter) -> None:
    """Show an application: contacts, its whole timeline (with the ids of its interviews and
    touches, to correct them) and the next actions."""
    from followup.services import applications  # noqa: PLC0415

    saved = applications.get_application(env.deps, app_id, env.now)
    app, today = saved.application, env.today

    out.show(
        lambda: application_json(app, saved.actions, today),
        lambda: _print_application(env, saved, whole_posting),
    )


def _print_application(env: Env, saved: Saved, whole_posting: bool) -> None:
    """``show`` for a person: the record, its contacts, its timeline and what comes next."""
    app, today = saved.application, env.today
    if whole_posting:
        click.echo(
            app.posting
            or f"No job posting kept for {app.id} (followup edit {app.id} --posting-file FILE)."
        )
        return
    heading(f"{app.company}: {app.position} [{app.id}]")
    click.echo(f"  status: {app.status.value}")
    for label, value in (
        ("applied", words.day(app.applied_on) if app.applied_on else None),
        ("snoozed until", words.day(app.snoozed_until) if app.snoozed_until else None),
        ("link", app.link),
        ("source", app.source),
        ("notes", app.notes),
    ):
        if value:
            click.echo(f"  {label}: {value}")
    heading("Contacts")
    if not app.contacts:
        click.echo(f"  none yet (followup contact add {app.id} NAME)")
    for c in app.contacts:
        spelled = "" if c.name_confirmed else "  (spelling not confirmed)"
        email = c.email
        if email and c.email_failed_on:
            email = f"{email} (bounced on {c.email_failed_on}: not used)"
        details = ", ".join(x for x in (email, c.phone) if x) or "no email or phone"
        click.echo(f"  {c.id}: {c.name}, {c.role.value}; {details}{spelled}")
    if app.posting:
        lines = app.posting.splitlines()
        click.echo("  posting:")
        for line in lines[:POSTING_LINES]:
            click.echo(f"    {line}")
        if len(lines) > POSTING_LINES:
            more = words.plural(len(lines) - POSTING_LINES, "more line")
            click.echo(f"    ... {more}: followup show {app.id} --posting")
    heading("Timeline")
    for event in timeline(app, env.tz):
        text = f"touch {event.ref}: {event.text}" if event.kind == "touch" else event.text
        click.echo(f"  {event.when}  {text}")
        if event.notes:
            for line in event.notes.splitlines():
                click.echo(f"      {line}")
    if not app.interviews and not app.touches:
        click.echo("  nothing recorded yet")
    heading("Next")
    print_actions(saved.actions, today)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def application_json(app: Application, actions: list[Action], today: date) -> dict[str, object]:
    from followup.formats.interchange import application_to_json  # noqa: PLC0415

    data = application_to_json(app)
    data["actions"] = actions_json(actions, today)
    return data


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("new_status", metavar="STATUS", type=STATUSES)
@json_option
@now_option
@pass_env
def status(env: Env, app_id: str, new_status: str, out: Formatter) -> None:
    """Set an application's STATUS (active, offer, accepted, rejected, withdrawn, no_response).

    Only active applications get status follow-ups; a thank-you stays due whatever the
    outcome (R5, R15).
    """
    from followup.domain import idle  # noqa: PLC0415
    from followup.services import applications  # noqa: PLC0415

    saved = applications.set_status(env.deps, app_id, Status(new_status), now=env.now)

    def text() -> None:
        click.echo(f"{app_id} is now {new_status}.")
        if new_status in ("rejected", "no_response", "withdrawn"):
            if saved.search_ended:  # R20: no "keep applying" once an offer is accepted
                click.echo(idle.TEXT[idle.Idle.SEARCH_OVER])
            else:
                click.echo(
                    "Every process teaches something; keep your other applications moving (R9)."
                )
        elif new_status in ("offer", "accepted"):
            click.echo("Congratulations!")
        print_actions(saved.actions, env.today, "No further action for this application.")

    out.show(lambda: application_json(saved.application, saved.actions, env.today), text)


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("until", metavar="DATE")
@json_option
@now_option
@pass_env
def snooze(env: Env, app_id: str, until: str, out: Formatter) -> None:
    """No status follow-up of APP before DATE (e.g. +2w, 2026-04-01); `off` lifts it."""
    from followup.services import applications  # noqa: PLC0415

    day = None if until.strip().lower() in ("off", "none") else env.day(until, "DATE")
    saved = applications.snooze(env.deps, app_id, day, now=env.now)

    def text() -> None:
        click.echo(
            f"{app_id} snoozed until {words.day(day)}."
            if day
            else f"{app_id} is no longer snoozed."
        )
        print_actions(saved.actions, env.today)

    out.show(lambda: application_json(saved.application, saved.actions, env.today), text)
