"""The plan: today, plan --json, explain, draft, script."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from followup.domain import words
from followup.domain.model import Action
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import action_text, heading, heading_text, is_terminal

if TYPE_CHECKING:
    from followup.services.planning import PlanReader, PlanView


#: The headings of Today's sections (:data:`~followup.services.planning.SECTIONS`).
TITLES = {"overdue": "Overdue", "today": "Today", "coming": "Coming up"}
#: Actions written at once when a whole section is listed (memory stays bounded).
_BATCH = 500


def plan_view(env: Env, horizon: int) -> PlanView:
    """The whole plan in memory (``demo``: a small sample)."""
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


def write_plan_json(plan: PlanReader, horizon: int) -> None:
    """FORMAT.md's ``plan --json``, written as it is read (the read stays open meanwhile)."""
    from followup.formats.plan import plan_json_chunks  # noqa: PLC0415

    for chunk in plan_json_chunks(plan.now, plan.today, plan.stream(horizon)):
        click.echo(chunk, nl=False)
    click.echo("")


def print_plan(plan: PlanReader, horizon: int, page: int | None) -> None:
    """Each section with its count: its ``page`` most urgent actions and how many more
    there are, or all of them (``page`` None). Written a page (or a batch) at a time."""
    from followup.services.planning import SECTIONS  # noqa: PLC0415

    today, colour = plan.today, is_terminal()
    parts = [f"Today is {words.day(today)}.\n"]
    shown = 0
    for key in SECTIONS:
        if page is None:  # all of it is read anyway: count it all
            section = plan.section(key, 0, horizon=horizon, cap=None)
        else:
            section = plan.section(key, page, horizon=horizon, lines=True)
        if not section.total:
            continue
        shown += section.total
        count = f"{section.total:,}" + (" or more" if section.capped else "")
        parts.append(f"\n{heading_text(f'{TITLES[key]} ({count})', colour)}\n")
        actions = section.actions if page is not None else plan.walk(key, horizon, lines=True)
        for i, action in enumerate(actions, 1):
            parts.append(action_text(action, today, colour))
            if i % _BATCH == 0:
                click.echo("".join(parts), nl=False)
                parts = []
        if page is not None and section.more:
            more = ("at least " if section.capped else "") + f"{section.more:,}"
            parts.append(f"  ... and {more} more: followup today --all\n")
    if not shown:
        parts.append("Nothing to do. Enjoy the quiet, and keep applying.\n")
    click.echo("".join(parts), nl=False)


@click.command()
@click.option(
    "--all",
    "everything",
    is_flag=True,
    # planning.SECTION_PAGE: not imported here, the command line starts without it
    help="List every action, not only the 10 most urgent of each section.",
)
@json_option
@now_option
@pass_env
def today(env: Env, everything: bool, out: Formatter) -> None:
    """What to do today: overdue actions, today's, and the coming week's, each with its reason.

    Each section shows its 10 most urgent actions (the longest overdue first) and how many
    more it holds; --all lists them all. --json lists them all, as plan --json --horizon 7.
    """
    from followup.domain.outbox import OutboxState  # noqa: PLC0415
    from followup.services.planning import COMING_DAYS, SECTION_PAGE  # noqa: PLC0415
    from followup.services.session import reading  # noqa: PLC0415

    with reading(env.deps, env.now) as plan:
        if not out.for_people:
            write_plan_json(plan, COMING_DAYS)
            return
        print_plan(plan, COMING_DAYS, None if everything else SECTION_PAGE)
        # In the same read (services.mail.stuck, without importing what sending needs).
        stuck = plan.repo.outbox([OutboxState.SENDING])
    notes = [
        f"\nAn email to {entry.recipient} ({entry.subject}) may or may not have gone out:"
        f" look in your Sent folder, then followup outbox sent {entry.id} (it went)"
        f" or followup outbox retry {entry.id} (it did not).\n"
        for entry in stuck
    ]
    if notes:
        click.echo("".join(notes), nl=False)


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
    from followup.services.session import reading  # noqa: PLC0415

    with reading(env.deps, env.now) as plan:
        if out.for_people:
            print_plan(plan, horizon, None)
        else:
            write_plan_json(plan, horizon)


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
