"""Touches: log what happened, make a call, mark an action done or dismiss it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.domain.model import Channel, Decision, Outcome, Purpose
from followup.entrypoints.cli.base import Env, F, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import actions_json, heading, print_actions
from followup.entrypoints.presenting import describe

if TYPE_CHECKING:
    from followup.services.touches import Logged

OUTCOMES = click.Choice([o.value for o in Outcome])
CALL_OUTCOMES = click.Choice(["reached", "no_answer", "voicemail"])
DECISIONS = click.Choice([d.value for d in Decision])


def answer_options(f: F) -> F:
    """What the company said (R14, R15) and the vacancies it mentioned (R16)."""
    options = [
        click.option(
            "--decision",
            type=DECISIONS,
            help="What they said: undecided, rejected or offer (R14, R15).",
        ),
        click.option("--decision-by", metavar="DATE", help="When they expect to decide (R14)."),
        click.option(
            "--vacancies",
            metavar="TEXT",
            help="Other open positions they mentioned, separated by ';' (R16).",
        ),
        click.option(
            "--add-vacancies/--no-add-vacancies",
            default=None,
            help="Turn the vacancies into applications (default: ask).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _outcome(value: str) -> Outcome:
    return Outcome(value.replace("-", "_"))


def choose_vacancies(
    vacancies: str | None, add_vacancies: bool | None, out: Formatter
) -> tuple[str, ...]:
    """R16: which vacancies become applications, decided before anything is written.

    The touch and the new applications are then one write: stopped at a question,
    nothing is recorded.
    """
    from followup.services.touches import split_text  # noqa: PLC0415

    titles = split_text(vacancies)
    if not titles or add_vacancies is False or (add_vacancies is None and not out.for_people):
        return ()
    if add_vacancies:
        return tuple(titles)
    click.echo("They mentioned other openings at the company (R16).")
    return tuple(
        t for t in titles if click.confirm(f"Add '{t}' as a new application?", default=True)
    )


def report(env: Env, logged: Logged, out: Formatter) -> None:
    """What a recorded touch changed: warnings (R13), vacancies (R16), the next steps."""
    created = logged.created

    def text() -> None:
        click.echo(f"Recorded: {describe(logged.application, logged.touch)}.")
        for warning in logged.warnings:
            click.echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)
        for app in created:
            click.echo(f"Added {app.id}: {app.company}, {app.position}.")
        if logged.status_changed:
            click.echo(f"{logged.application.id} is now {logged.application.status.value}.")
        heading("Next for this application")
        print_actions(logged.actions, env.today, nothing_planned(logged))

    out.show(
        lambda: {
            "touch": logged.touch.id,
            "application": logged.application.id,
            "status": logged.application.status.value,
            "warnings": logged.warnings,
            "vacancies": logged.vacancies,
            "created": [a.id for a in created],
            "actions": actions_json(logged.actions, env.today),
        },
        text,
    )


def nothing_planned(logged: Logged) -> str:
    """Why nothing is left to do for the application, and what is still the candidate's
    (an offer to answer, an interview to record): never "keep applying" once an offer is
    accepted (R20)."""
    from followup.domain.idle import Idle, idle, idle_text  # noqa: PLC0415

    app = logged.application
    text = idle_text(app, logged.search_ended)
    hint = {
        Idle.OFFER: f"followup status {app.id} accepted, or withdrawn",
        Idle.ANSWERED: f"followup interview {app.id} WHEN, or followup status {app.id} rejected",
    }.get(idle(app, logged.search_ended))
    return f"{text}\n  ({hint})" if hint else text


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("outcome", metavar="OUTCOME", type=OUTCOMES)
@click.option("--thank-you", is_flag=True, help="It was the thank-you, not a status follow-up.")
@click.option(
    "--channel",
    type=click.Choice([c.value for c in Channel]),
    help="email or phone (default: from the outcome).",
)
@click.option(
    "--contact", "contact_id", metavar="CONTACT", help="Who (default: the person the plan named)."
)
@click.option(
    "--at",
    "at_text",
    metavar="WHEN",
    help="When it happened (default: now), e.g. 'yesterday 15:00'.",
)
@answer_options
@click.option("--notes", help="What was said, or anything worth keeping.")
@json_option
@now_option
@pass_env
def log(
    env: Env,
    app_id: str,
    outcome: str,
    thank_you: bool,
    channel: str | None,
    contact_id: str | None,
    at_text: str | None,
    decision: str | None,
    decision_by: str | None,
    vacancies: str | None,
    add_vacancies: bool | None,
    notes: str | None,
    out: Formatter,
) -> None:
    """Record a touch with APP's company. OUTCOME is one of:

    \b
    sent       you sent an email (a status follow-up; with --thank-you, the thank-you)
    reached    you called and talked to someone
    no_answer  you called and nobody answered
    voicemail  you called and left a message
    replied    the company answered you
    skipped    you chose not to do it

    followup warns when a follow-up comes sooner than min_days_between_follow_ups after the
    last one at the same company (R13), and offers to turn vacancies you heard of into
    applications (R16).
    """
    from followup.services import touches  # noqa: PLC0415

    data = touches.TouchInput(
        outcome=_outcome(outcome),
        purpose=Purpose.THANK_YOU if thank_you else Purpose.STATUS,
        channel=Channel(channel) if channel else None,
        contact=contact_id,
        at=env.moment(at_text, "--at") if at_text else None,
        decision=Decision(decision) if decision else None,
        decision_by=env.day(decision_by, "--decision-by") if decision_by else None,
        vacancies=vacancies,
        notes=notes,
        new_applications=choose_vacancies(vacancies, add_vacancies, out),
    )
    report(env, touches.log_touch(env.deps, app_id, data, now=env.now), out)


@click.command()
@click.argument("app_id", metavar="APP")
@click.option("--outcome", type=CALL_OUTCOMES, help="How the call went (default: ask).")
@answer_options
@click.option("--notes", help="What was said, or anything worth keeping.")
@json_option
@now_option
@pass_env
def call(
    env: Env,
    app_id: str,
    outcome: str | None,
    decision: str | None,
    decision_by: str | None,
    vacancies: str | None,
    add_vacancies: bool | None,
    notes: str | None,
    out: Formatter,
) -> None:
    """Call for news on APP: shows the script, then records how it went, in one step (R11).

    It asks everything first (how it went, their decision, the vacancies they mentioned
    and which to add as applications) and writes once at the end.
    """
    from followup.domain.model import ActionKind  # noqa: PLC0415
    from followup.errors import Refused  # noqa: PLC0415
    from followup.services import completion  # noqa: PLC0415

    action = completion.status_action(env.deps, app_id, env.now)
    calls = (ActionKind.STATUS_CALL, ActionKind.APPLICATION_FOLLOW_UP)
    if action.kind not in calls or action.channel is not Channel.PHONE:
        raise Refused(
            f"the next step for {app_id} is {action.kind.value}, not a call ({action.reason})"
        )
    if out.for_people:
        from followup.entrypoints.cli.plan import print_script  # noqa: PLC0415

        print_script(env, action)
    if outcome is None:
        outcome = click.prompt("How did it go?", type=CALL_OUTCOMES)
        if outcome == "reached" and decision is None:
            decision = (
                click.prompt(
                    "Have they decided? (undecided, rejected, offer; empty: they did not say)",
                    default="",
                    show_default=False,
                    show_choices=False,
                    type=click.Choice(["", *DECISIONS.choices]),
                )
                or None
            )
            if decision == "undecided" and decision_by is None:
                decision_by = (
                    click.prompt(
                        "When do they expect to decide? (empty: no date)",
                        default="",
                        show_default=False,
                    )
                    or None
                )
            if vacancies is None:
                vacancies = (
                    click.prompt(
                        "Other open positions they mentioned (empty: none)",
                        default="",
                        show_default=False,
                    )
                    or None
                )
    # Every question is asked before the one write: stopped at any of them, nothing is saved.
    decided_by = env.day(decision_by, "--decision-by") if decision_by else None
    wanted = choose_vacancies(vacancies, add_vacancies, out)
    completed = completion.complete(
        env.deps,
        action.id,
        outcome=Outcome(outcome),
        decision=Decision(decision) if decision else None,
        decision_by=decided_by,
        vacancies=vacancies,
        notes=notes,
        new_applications=wanted,
        now=env.now,
    )
    assert completed.logged is not None
    report(env, completed.logged, out)


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@click.option("--outcome", type=OUTCOMES, help="For a call: reached, no_answer or voicemail.")
@click.option("--at", "at_text", metavar="WHEN", help="When you did it (default: now).")
@answer_options
@click.option("--notes", help="What was said, or anything worth keeping.")
@json_option
@now_option
@pass_env
def done(
    env: Env,
    action_id: str,
    outcome: str | None,
    decision: str | None,
    decision_by: str | None,
    vacancies: str | None,
    at_text: str | None,
    add_vacancies: bool | None,
    notes: str | None,
    out: Formatter,
) -> None:
    """Mark an action done: records the matching touch (e.g. the thank-you sent).

    A give_up sets the application to no_response (R17, R19), a withdraw to withdrawn
    (R20); a preparation or a debrief is simply marked done.
    """
    from followup.services import completion  # noqa: PLC0415

    decided_by = env.day(decision_by, "--decision-by") if decision_by else None
    at = env.moment(at_text, "--at") if at_text else None
    completed = completion.complete(
        env.deps,
        action_id,
        outcome=_outcome(outcome) if outcome else None,
        decision=Decision(decision) if decision else None,
        decision_by=decided_by,
        vacancies=vacancies,
        at=at,
        notes=notes,
        new_applications=choose_vacancies(vacancies, add_vacancies, out),
        now=env.now,
    )
    if completed.logged is not None:
        report(env, completed.logged, out)
        return

    def text() -> None:
        click.echo(completed.message)
        print_actions(completed.actions, env.today, "Nothing more to do here.")

    out.show(
        lambda: {
            "done": completed.action.id,
            "application": completed.application.id,
            "status": completed.application.status.value,
            "actions": actions_json(completed.actions, env.today),
        },
        text,
    )


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@json_option
@now_option
@pass_env
def dismiss(env: Env, action_id: str, out: Formatter) -> None:
    """Choose not to do an action (a preparation, debrief or thank-you); it stays dismissed.

    Status follow-ups cannot be dismissed: snooze the application, record a touch or
    change its status instead.
    """
    from followup.services import completion  # noqa: PLC0415

    saved = completion.dismiss(env.deps, action_id, now=env.now)

    def text() -> None:
        click.echo(f"Dismissed {action_id}.")

    out.show(
        lambda: {
            "dismissed": action_id,
            "application": saved.application.id,
            "actions": actions_json(saved.actions, env.today),
        },
        text,
    )
