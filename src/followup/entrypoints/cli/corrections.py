"""Correcting an application and its interviews: edit, delete, reschedule, cancel.

Each command is one write, so one entry in the history: it prints what changed in the
history's words and how to take it back (``followup undo``).
"""

from __future__ import annotations

import click

from followup.domain import words
from followup.entrypoints.cli.applications import application_json
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.changes import (
    confirm,
    newest_entry,
    read_posting,
    report_change,
    unless_duplicate,
)
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import print_actions
from followup.errors import NotFound
from followup.formats.interview import interview_json

CLEARS = " (empty: clear it)"


@click.command()
@click.argument("app_id", metavar="APP")
@click.option("--company", help="The company's name.")
@click.option("--position", help="The position.")
@click.option("--applied", metavar="DATE", help="When you applied" + CLEARS + ".")
@click.option("--link", help="The job ad's address" + CLEARS + ".")
@click.option("--source", help="Where you found it" + CLEARS + ".")
@click.option("--notes", help="Anything worth keeping" + CLEARS + ".")
@click.option("--posting", metavar="TEXT", help="The job posting's text" + CLEARS + ".")
@click.option(
    "--posting-file", metavar="PATH", help="Read the job posting from a file ('-': stdin)."
)
@click.option(
    "--yes",
    is_flag=True,
    help="Save it even if another application has the same company and position.",
)
@json_option
@now_option
@pass_env
def edit(
    env: Env,
    app_id: str,
    company: str | None,
    position: str | None,
    applied: str | None,
    link: str | None,
    source: str | None,
    notes: str | None,
    posting: str | None,
    posting_file: str | None,
    yes: bool,
    out: Formatter,
) -> None:
    """Correct what you recorded about application APP; only the options given change.

    A change that makes it the same position at the same company as another application
    asks first, as `add` does (without a terminal: refused unless --yes).
    """
    from followup.services import corrections  # noqa: PLC0415
    from followup.services.corrections import KEEP  # noqa: PLC0415

    posting = read_posting(posting, posting_file)
    edit = corrections.ApplicationEdit(
        company=KEEP if company is None else company,
        position=KEEP if position is None else position,
        applied_on=KEEP
        if applied is None
        else (env.day(applied, "--applied") if applied.strip() else None),
        link=KEEP if link is None else link,
        source=KEEP if source is None else source,
        notes=KEEP if notes is None else notes,
        posting=KEEP if posting is None else posting,
    )
    before = newest_entry(env)
    saved = unless_duplicate(
        env,
        lambda ok: corrections.edit_application(env.deps, app_id, edit, env.now, duplicate_ok=ok),
        yes,
        "save",
        "saved",
        stdin_busy=posting_file == "-",
    )
    if saved is None:
        return

    def text() -> None:
        click.echo(f"Saved {saved.application.id}.")
        report_change(env, before)

    out.show(lambda: application_json(saved.application, saved.actions, env.today), text)


@click.command()
@click.argument("app_id", metavar="APP")
@click.option(
    "--interview", "interview_id", metavar="ID", help="Delete only this interview (a mistake)."
)
@click.option("--yes", is_flag=True, help="Do not ask (needed without a terminal).")
@json_option
@now_option
@pass_env
def delete(env: Env, app_id: str, interview_id: str | None, yes: bool, out: Formatter) -> None:
    """Delete application APP with its contacts, interviews and touches (`followup undo`
    brings it back). With --interview, delete only that interview, entered by mistake; an
    interview that will not happen is cancelled instead (followup cancel)."""
    from followup.services import applications, corrections  # noqa: PLC0415

    app = applications.get_application(env.deps, app_id, env.now).application
    before = newest_entry(env)
    if interview_id is not None:
        iv = app.interview(interview_id)
        if iv is None:
            known = ", ".join(i.id for i in app.interviews) or "none yet"
            raise NotFound(f"{app.id} has no interview {interview_id!r} (interviews: {known})")
        local = iv.at.astimezone(env.tz)
        when = f"on {words.day(local.date())} at {words.clock(local.time())}"
        question = f"Delete interview {iv.id} ({when}) of {app.company}, {app.position}?"
        refusal = f"deleting interview {iv.id} asks first, and there is no terminal: pass --yes"
        if not confirm(env, question, yes, refusal):
            click.echo("Not deleted.")
            return
        saved = corrections.delete_interview(env.deps, app_id, interview_id, now=env.now)

        def said() -> None:
            click.echo(f"Deleted interview {interview_id} of {app_id}.")
            report_change(env, before)
            print_actions(saved.actions, env.today)

        out.show({"deleted": interview_id, "application": app_id}, said)
        return
    held = ", ".join(
        f"{n} {one if n == 1 else many}"
        for n, one, many in (
            (len(app.contacts), "contact", "contacts"),
            (len(app.interviews), "interview", "interviews"),
            (len(app.touches), "touch", "touches"),
        )
    )
    question = f"Delete {app.id} ({app.company}, {app.position}) with {held}?"
    refusal = f"deleting {app.id} asks first, and there is no terminal: pass --yes"
    if not confirm(env, question, yes, refusal):
        click.echo("Not deleted.")
        return
    corrections.delete_application(env.deps, app_id, now=env.now)

    def text() -> None:
        click.echo(f"Deleted {app_id} ({app.company}, {app.position}) with {held}.")
        report_change(env, before)

    out.show({"deleted": app_id}, text)


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("interview_id", metavar="INTERVIEW")
@click.argument("when", metavar="WHEN")
@click.option(
    "--with",
    "interviewers",
    multiple=True,
    metavar="CONTACT",
    help="The interviewers' contact ids (repeatable; replaces the list).",
)
@click.option("--notes", help="Notes on the interview (empty: clear them).")
@json_option
@now_option
@pass_env
def reschedule(
    env: Env,
    app_id: str,
    interview_id: str,
    when: str,
    interviewers: tuple[str, ...],
    notes: str | None,
    out: Formatter,
) -> None:
    """Move interview INTERVIEW of APP to WHEN ('friday 14:00', 2026-03-06T14:00).

    A cancelled interview rescheduled takes place again.
    """
    from followup.services import corrections  # noqa: PLC0415
    from followup.services.corrections import KEEP  # noqa: PLC0415

    edit = corrections.InterviewEdit(
        at=env.moment(when, "WHEN"),
        interviewers=interviewers if interviewers else KEEP,
        notes=KEEP if notes is None else notes,
        cancelled=False,
    )
    before = newest_entry(env)
    iv, saved = corrections.edit_interview(env.deps, app_id, interview_id, edit, now=env.now)

    def text() -> None:
        local = iv.at.astimezone(env.tz)
        click.echo(f"{iv.id} is now on {words.day(local.date())} at {words.clock(local.time())}.")
        report_change(env, before)
        print_actions(saved.actions, env.today)

    out.show(lambda: interview_json(iv), text)


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("interview_id", metavar="INTERVIEW")
@json_option
@now_option
@pass_env
def cancel(env: Env, app_id: str, interview_id: str, out: Formatter) -> None:
    """Mark interview INTERVIEW of APP as not happening: it stays in the timeline, and the
    plan no longer prepares for it or follows it up (`reschedule` brings it back)."""
    from followup.services import corrections  # noqa: PLC0415

    before = newest_entry(env)
    iv, saved = corrections.edit_interview(
        env.deps, app_id, interview_id, corrections.InterviewEdit(cancelled=True), now=env.now
    )

    def text() -> None:
        click.echo(f"Cancelled {iv.id}.")
        report_change(env, before)
        print_actions(saved.actions, env.today)

    out.show(lambda: interview_json(iv), text)
