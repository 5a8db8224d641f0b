"""Correcting a recorded touch: ``followup touch edit`` and ``followup touch delete``."""

from __future__ import annotations

import click

from followup.domain.model import Channel, Decision, Outcome, Purpose, Touch
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.changes import newest_entry, report_change
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import actions_json, print_actions
from followup.entrypoints.presenting import describe


def touch_json(t: Touch) -> dict[str, object]:
    """A touch as the interchange file writes it (FORMAT.md)."""
    return {
        "id": t.id,
        "at": t.at.isoformat(),
        "contact": t.contact,
        "channel": t.channel.value,
        "purpose": t.purpose.value,
        "outcome": t.outcome.value,
        "decision": t.decision.value if t.decision else None,
        "decision_by": t.decision_by.isoformat() if t.decision_by else None,
        "vacancies": t.vacancies,
        "message_id": t.message_id,
        **({"notes": t.notes} if t.notes is not None else {}),
    }


@click.group()
def touch() -> None:
    """Correct or delete a touch you recorded (its id is in `followup show APP`)."""


@touch.command("edit")
@click.argument("app_id", metavar="APP")
@click.argument("touch_id", metavar="TOUCH")
@click.option("--outcome", type=click.Choice([o.value for o in Outcome]), help="How it went.")
@click.option("--at", "at_text", metavar="WHEN", help="When it happened, e.g. 'monday 15:00'.")
@click.option("--contact", metavar="CONTACT", help="Who (a contact id; empty: nobody named).")
@click.option("--channel", type=click.Choice([c.value for c in Channel]), help="email or phone.")
@click.option(
    "--purpose",
    type=click.Choice([p.value for p in Purpose]),
    help="status (a follow-up) or thank_you.",
)
@click.option(
    "--decision",
    type=click.Choice([*(d.value for d in Decision), "none"]),
    help="What they said (none: clear it).",
)
@click.option("--decision-by", metavar="DATE", help="When they expect to decide (empty: clear).")
@click.option("--vacancies", metavar="TEXT", help="Open positions they mentioned (empty: clear).")
@click.option("--notes", help="What was said (empty: clear).")
@json_option
@now_option
@pass_env
def edit(
    env: Env,
    app_id: str,
    touch_id: str,
    outcome: str | None,
    at_text: str | None,
    contact: str | None,
    channel: str | None,
    purpose: str | None,
    decision: str | None,
    decision_by: str | None,
    vacancies: str | None,
    notes: str | None,
    out: Formatter,
) -> None:
    """Correct touch TOUCH of APP; only the options given change.

    A touch moved (or made a follow-up) within a week of another follow-up at the company
    is saved with R13's warning, as `log` gives it.
    """
    from followup.services import corrections  # noqa: PLC0415
    from followup.services.corrections import KEEP  # noqa: PLC0415

    change = corrections.TouchEdit(
        outcome=KEEP if outcome is None else Outcome(outcome),
        at=KEEP if at_text is None else env.moment(at_text, "--at"),
        contact=KEEP if contact is None else (contact.strip() or None),
        channel=KEEP if channel is None else Channel(channel),
        purpose=KEEP if purpose is None else Purpose(purpose),
        decision=KEEP if decision is None else (None if decision == "none" else Decision(decision)),
        decision_by=KEEP
        if decision_by is None
        else (env.day(decision_by, "--decision-by") if decision_by.strip() else None),
        vacancies=KEEP if vacancies is None else vacancies,
        notes=KEEP if notes is None else notes,
    )
    before = newest_entry(env)
    new, saved = corrections.edit_touch(env.deps, app_id, touch_id, change, now=env.now)

    def text() -> None:
        click.echo(f"Saved {new.id}: {describe(saved.application, new)}.")
        for warning in saved.warnings:  # as `log` warns (R13, R7)
            click.echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)
        report_change(env, before)
        print_actions(saved.actions, env.today)

    out.show(
        lambda: {
            "touch": touch_json(new),
            "application": app_id,
            "status": saved.application.status.value,
            "warnings": list(saved.warnings),
            "actions": actions_json(saved.actions, env.today),
        },
        text,
    )


@touch.command("delete")
@click.argument("app_id", metavar="APP")
@click.argument("touch_id", metavar="TOUCH")
@json_option
@now_option
@pass_env
def delete(env: Env, app_id: str, touch_id: str, out: Formatter) -> None:
    """Delete touch TOUCH of APP, recorded by mistake (`followup undo` brings it back)."""
    from followup.services import corrections  # noqa: PLC0415

    before = newest_entry(env)
    saved = corrections.delete_touch(env.deps, app_id, touch_id, now=env.now)

    def text() -> None:
        click.echo(f"Deleted {touch_id} of {app_id}.")
        report_change(env, before)
        print_actions(saved.actions, env.today)

    out.show(
        lambda: {
            "deleted": touch_id,
            "application": app_id,
            "actions": actions_json(saved.actions, env.today),
        },
        text,
    )
