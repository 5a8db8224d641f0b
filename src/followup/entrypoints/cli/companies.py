"""A company seen whole: ``followup company NAME`` (R10, R13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.domain import words
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.contacts import contact_json
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import actions_json, heading, table
from followup.entrypoints.cli.touch import touch_json
from followup.entrypoints.presenting import describe, local_time

if TYPE_CHECKING:
    from followup.services.companies import CompanyView


@click.command()
@click.argument("name")
@json_option
@now_option
@pass_env
def company(env: Env, name: str, out: Formatter) -> None:
    """Everything at one company: its applications, every contact and touch, and when the
    next follow-up there may happen (R13). NAME may be part of the name, or an application id."""
    from followup.services import companies  # noqa: PLC0415

    view = companies.company(env.deps, name, env.now)
    today = env.today
    out.show(
        lambda: {
            "company": view.name,
            "key": view.key,
            "applications": [
                {
                    "id": s.application.id,
                    "position": s.application.position,
                    "status": s.application.status.value,
                    "next_action": actions_json(s.actions[:1], today)[0] if s.actions else None,
                }
                for s in view.applications
            ],
            "contacts": [{"application": app_id, **contact_json(c)} for app_id, c in view.contacts],
            "touches": [{"application": app_id, **touch_json(t)} for app_id, t in view.touches],
            "last_attempt": view.last_attempt.isoformat() if view.last_attempt else None,
            "next_possible": view.next_possible.isoformat() if view.next_possible else None,
        },
        lambda: _print_company(env, view),
    )


def _print_company(env: Env, view: CompanyView) -> None:
    """``company`` for a person: a table of its applications, then its contacts and touches."""
    apps = {s.application.id: s.application for s in view.applications}
    heading(view.name)
    table(
        ["id", "position", "status", "next"],
        [
            [
                s.application.id,
                s.application.position,
                s.application.status.value,
                f"{words.day(s.actions[0].due)} {s.actions[0].kind.value}" if s.actions else "-",
            ]
            for s in view.applications
        ],
    )
    if view.next_possible is not None and view.last_attempt is not None:
        click.echo(
            f"Last follow-up there: {words.day(view.last_attempt)}; "
            f"next follow-up there possible from {words.day(view.next_possible)} (R13)."
        )
    heading("Contacts")
    if not view.contacts:
        click.echo("  none yet")
    for app_id, c in view.contacts:
        details = ", ".join(x for x in (c.email, c.phone) if x) or "no email or phone"
        click.echo(f"  {c.id}: {c.name}, {c.role.value}; {details} (recorded for {app_id})")
    heading("Touches, newest first")
    if not view.touches:
        click.echo("  none yet")
    for app_id, t in view.touches:
        click.echo(f"  {local_time(t.at, env.tz)}  {app_id} {t.id}: {describe(apps[app_id], t)}")
