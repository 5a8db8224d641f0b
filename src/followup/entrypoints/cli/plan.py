"""The plan: today, plan --json, explain, draft, script."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from followup.domain import words
from followup.domain.model import Action
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import action_block, heading

if TYPE_CHECKING:
    from followup.services.planning import PlanView


def plan_view(env: Env, horizon: int) -> PlanView:
    from followup.services.session import reading  # noqa: PLC0415

    with reading(env.deps, env.now) as plan:
        return plan.view(horizon)


def plan_json(view: PlanView) -> dict[str, object]:
    from followup.formats.plan import public  # noqa: PLC0415

    return {
        "now": view.now.isoformat(),
        "today": view.today.isoformat(),
        "actions": [public(a, view.today) for a in view.actions],
    }


def print_plan(view: PlanView) -> None:
    click.echo(f"Today is {words.day(view.today)}.")
    sections = [("Overdue", view.overdue), ("Today", view.due_today), ("Coming up", view.coming)]
    for title, actions in sections:
        if actions:
            click.echo("")
            heading(f"{title} ({len(actions)})")
            for action in actions:
                action_block(action, view.today)
    if not view.actions:
        click.echo("Nothing to do. Enjoy the quiet, and keep applying.")


@click.command()
@json_option
@now_option
@pass_env
def today(env: Env, out: Formatter) -> None:
    """What to do today: overdue actions, today's, and the coming week's, each with its reason."""
    from followup.services.planning import COMING_DAYS  # noqa: PLC0415

    view = plan_view(env, COMING_DAYS)

    def text() -> None:
        print_plan(view)
        from followup.services.mail import stuck  # noqa: PLC0415

        for entry in stuck(env.deps):
            click.echo(
                f"\nAn email to {entry.recipient} ({entry.subject}) may or may not have gone out:"
                f" look in your Sent folder, then followup outbox sent {entry.id} (it went)"
                f" or followup outbox retry {entry.id} (it did not)."
            )

    out.show(lambda: plan_json(view), text)


@click.command()
@click.option(
    "--horizon",
    type=click.IntRange(0, 3660),
    default=0,
    show_default=True,
    help="Also list actions due in the next N days.",
)
@json_option
@now_option
@pass_env
def plan(env: Env, horizon: int, out: Formatter) -> None:
    """The plan as of now (or --now): actions due today or earlier, plus --horizon days.

    With --json, prints exactly the format documented in FORMAT.md.
    """
    view = plan_view(env, horizon)
    out.show(lambda: plan_json(view), lambda: print_plan(view))


def _action(env: Env, action_id: str) -> Action:
    from followup.services.completion import find_action  # noqa: PLC0415

    return find_action(env.deps, action_id, env.now)


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@json_option
@now_option
@pass_env
def explain(env: Env, action_id: str, out: Formatter) -> None:
    """Show how an action's due date was computed, step by step, with each rule."""
    action = _action(env, action_id)

    def text() -> None:
        heading(f"{action.id}: due {words.day(action.due)} ({action.rule})")
        click.echo(f"  {action.reason}")
        if action.contact_application:
            click.echo(
                f"  {action.contact_name} is the HR contact recorded on"
                f" {action.contact_application} (R10)."
            )
        for i, step in enumerate(action.steps, 1):
            day = f" -> {words.day(step.day)}" if step.day else ""
            click.echo(f"  {i}. [{step.rule}] {step.text}{day}")

    def data() -> dict[str, Any]:
        from followup.formats.plan import explain_json  # noqa: PLC0415

        return explain_json(action)

    out.show(data, text)


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@json_option
@now_option
@pass_env
def draft(env: Env, action_id: str, out: Formatter) -> None:
    """Print the email an action asks for: a thank-you (R4), a status follow-up, a
    follow-up on an application (R18) or a withdrawal (R20).

    Templates can be overridden: put thank_you.txt.j2, status.txt.j2, application.txt.j2
    or withdraw.txt.j2 in the templates folder of your config dir (or
    $FOLLOWUP_CONFIG_DIR/templates).
    """
    from followup.services import drafts  # noqa: PLC0415

    action, email = drafts.email(env.deps, action_id, env.now)

    def text() -> None:
        if email.to_email:
            click.echo(
                f"To: {email.to_name} <{email.to_email}>"
                if email.to_name
                else f"To: {email.to_email}"
            )
        else:
            who = f"{email.to_name} " if email.to_name else ""
            click.echo(f"To: {who}(no email address recorded: add one with followup contact edit)")
        click.echo(f"Subject: {email.subject}")
        click.echo("")
        click.echo(email.body.rstrip())
        click.echo("")
        click.echo(f"When it is sent: followup done {action.id}")

    def data() -> dict[str, Any]:
        from followup.formats.draft import draft_json  # noqa: PLC0415

        return draft_json(action.id, email)

    out.show(data, text)


def print_script(env: Env, action: Action) -> None:
    heading(f"{action.company}, {action.position}: {action.kind.value.replace('_', ' ')}")
    if action.contact and action.application:
        from followup.services.applications import get_application  # noqa: PLC0415

        owner = action.contact_application or action.application
        app = get_application(env.deps, owner, env.now).application
        contact = app.contact(action.contact)
        if contact is not None and contact.phone:
            click.echo(f"  Phone: {contact.phone}")
    for line in action.script:
        click.echo(f"  - {line}")


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@json_option
@now_option
@pass_env
def script(env: Env, action_id: str, out: Formatter) -> None:
    """Print what to say on a call (R11), or the checklist of a preparation or debrief."""
    action = _action(env, action_id)

    def text() -> None:
        if not action.script:
            click.echo(f"{action.id} has no script: {action.reason}")
            return
        print_script(env, action)

    out.show(
        lambda: {"action": action.id, "kind": action.kind.value, "script": list(action.script)},
        text,
    )
