"""Interviews: schedule or record one, and the debrief that captures what was learned (R1-R3)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import click

from followup.domain import words
from followup.domain.model import ContactWindow, Role
from followup.entrypoints.cli.base import YES_NO, Env, json_option, now_option, pass_env, yes_no
from followup.entrypoints.cli.contacts import confirm_spelling
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import print_actions
from followup.errors import InvalidInput
from followup.formats.interview import interview_json

if TYPE_CHECKING:
    from followup.services.contacts import ContactInput
from followup.services.interviews import Debrief


def _window(text: str | None, option: str) -> ContactWindow | None:
    if not text:
        return None
    from followup.domain.when import DateInputError, parse_window  # noqa: PLC0415

    try:
        return parse_window(text)
    except DateInputError as e:
        raise InvalidInput(f"{option}: {e}") from None


@click.command()
@click.argument("app_id", metavar="APP")
@click.argument("when", metavar="WHEN")
@click.option(
    "--with",
    "interviewers",
    multiple=True,
    metavar="CONTACT",
    help="An interviewer's contact id (repeatable).",
)
@click.option("--answer-by", metavar="DATE", help="The date they promised an answer by (R7).")
@click.option(
    "--window",
    metavar="DAYS HOURS",
    help="Best days and hours to call, e.g. 'tue,thu 10:00-12:00' (R3).",
)
@click.option(
    "--every-applicant", type=YES_NO, help="Does the company contact every applicant? (R3)"
)
@click.option("--direct", type=YES_NO, help="May you contact them directly? (R3)")
@click.option("--id", "interview_id", help="Choose the interview's id (default: iv1, iv2...).")
@click.option("--notes", help="Notes on the interview (who, where, what to bring).")
@json_option
@now_option
@pass_env
def interview(
    env: Env,
    app_id: str,
    when: str,
    interviewers: tuple[str, ...],
    answer_by: str | None,
    window: str | None,
    every_applicant: str | None,
    direct: str | None,
    interview_id: str | None,
    notes: str | None,
    out: Formatter,
) -> None:
    """Schedule an interview for APP at WHEN ('tuesday 10:00', 2026-03-02T10:00), or record one.

    Before it, followup plans its preparation (R1); after it, the debrief, the thank-you
    emails and the follow-up (R2-R7).
    """
    from followup.services import interviews  # noqa: PLC0415

    iv, saved = interviews.record_interview(
        env.deps,
        app_id,
        interviews.InterviewInput(
            at=env.moment(when, "WHEN"),
            interviewers=interviewers,
            contacts_every_applicant=yes_no(every_applicant),
            direct_contact_ok=yes_no(direct),
            contact_window=_window(window, "--window"),
            answer_by=env.day(answer_by, "--answer-by") if answer_by else None,
            notes=notes,
        ),
        interview_id=interview_id,
        now=env.now,
    )

    def text() -> None:
        local = iv.at.astimezone(env.tz)
        tense = "Scheduled" if iv.at > env.now else "Recorded"
        click.echo(f"{tense} {iv.id} on {words.day(local.date())} at {words.clock(local.time())}.")
        if iv.at > env.now:
            click.echo(
                "Good luck! Go in knowing what you will ask at the end "
                "(followup today has the list)."
            )
        _warn(saved.warnings)
        print_actions(saved.actions, env.today)

    out.show(lambda: interview_json(iv), text)


@click.command()
@click.argument("app_id", metavar="APP")
@click.option(
    "--interview", "interview_id", metavar="ID", help="Which interview (default: the last one)."
)
@click.option(
    "--every-applicant", type=YES_NO, help="Does the company contact every applicant? (R3)"
)
@click.option("--direct", type=YES_NO, help="May you contact them directly? (R3)")
@click.option(
    "--window",
    metavar="DAYS HOURS",
    help="Best days and hours to call, e.g. 'tue,thu 10:00-12:00'.",
)
@click.option("--answer-by", metavar="DATE", help="The date they promised an answer by (R7).")
@click.option(
    "--interviewer",
    "new_names",
    multiple=True,
    metavar="NAME",
    help="Add an interviewer by name (repeatable).",
)
@click.option(
    "--confirm",
    "confirm_ids",
    multiple=True,
    metavar="CONTACT",
    help="Confirm the spelling of a contact's name.",
)
@click.option("--notes", help="What was said at the interview (replaces the notes).")
@json_option
@now_option
@pass_env
def debrief(
    env: Env,
    app_id: str,
    interview_id: str | None,
    every_applicant: str | None,
    direct: str | None,
    window: str | None,
    answer_by: str | None,
    new_names: tuple[str, ...],
    confirm_ids: tuple[str, ...],
    notes: str | None,
    out: Formatter,
) -> None:
    """Record what you learned at the end of an interview (R2, R3).

    With no answer options, it asks each question in turn: who interviewed you and how
    their name is spelled, their email and phone, whether the company contacts every
    applicant, whether you may contact them directly, the best days and hours to call,
    and when they promised an answer.
    """
    from followup.services import contacts, interviews  # noqa: PLC0415

    given = (every_applicant, direct, window, answer_by, new_names, confirm_ids, notes)
    if any(given):
        answers = interviews.Debrief(
            contacts_every_applicant=yes_no(every_applicant),
            direct_contact_ok=yes_no(direct),
            contact_window=_window(window, "--window"),
            answer_by=env.day(answer_by, "--answer-by") if answer_by else None,
            contacts=tuple(
                (cid, contacts.ContactInput(name_confirmed=True)) for cid in confirm_ids
            ),
            new_interviewers=tuple(
                contacts.ContactInput(name=n, name_confirmed=False) for n in new_names
            ),
            notes=notes,
        )
    else:
        answers = replace(_ask(env, app_id, interview_id), notes=notes)
    iv, saved = interviews.debrief(env.deps, app_id, interview_id, answers, now=env.now)

    def text() -> None:
        click.echo(f"Saved what you learned at {iv.id}.")
        _warn(saved.warnings)
        print_actions(saved.actions, env.today)

    out.show(lambda: interview_json(iv), text)


def _warn(warnings: tuple[str, ...]) -> None:
    """R11: a window with no business day is kept (it is what they said) but places no call."""
    for warning in warnings:
        click.echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)


def _ask(env: Env, app_id: str, interview_id: str | None) -> Debrief:
    """The debrief as a conversation: only the questions the records leave open."""
    from followup.services import applications, contacts, interviews  # noqa: PLC0415

    app = applications.get_application(env.deps, app_id, env.now).application
    iv = app.interview(interview_id) if interview_id else interviews.last_interview(app, env.now)
    if iv is None:
        raise InvalidInput(f"{app_id} has no interview {interview_id!r}")
    local = iv.at.astimezone(env.tz).date()
    click.echo(
        f"Debrief of {app.company}, {app.position}: interview {iv.id} on {words.day(local)}."
    )
    updates: list[tuple[str, ContactInput]] = []
    for cid in iv.interviewers:
        c = app.contact(cid)
        if c is None:
            continue
        name, confirmed = (c.name, True) if c.name_confirmed else confirm_spelling(c.name)
        email = c.email or _ask_detail(f"{name}'s email", env.deps.details.email)
        phone = c.phone or _ask_detail(
            f"{name}'s phone", lambda v: env.deps.details.phone(v, env.settings.country)
        )
        updates.append(
            (
                cid,
                contacts.ContactInput(
                    name=name, name_confirmed=confirmed, email=email, phone=phone
                ),
            )
        )
    new: list[ContactInput] = []
    if not iv.interviewers:
        click.echo("Who interviewed you? One name at a time; leave empty when done.")
        while name := click.prompt("Interviewer's name", default="", show_default=False).strip():
            name, confirmed = confirm_spelling(name)
            new.append(
                contacts.ContactInput(
                    name=name,
                    role=Role.INTERVIEWER,
                    name_confirmed=confirmed,
                    email=_ask_detail(f"{name}'s email", env.deps.details.email),
                    phone=_ask_detail(
                        f"{name}'s phone", lambda v: env.deps.details.phone(v, env.settings.country)
                    ),
                )
            )
    # What the records already answer is not asked again (edit it with the options).
    every = iv.contacts_every_applicant
    if every is None:
        every = _ask_yes_no("Does the company get back to every applicant?", None)
    direct = iv.direct_contact_ok
    if direct is None:
        direct = _ask_yes_no("May you contact them directly?", None)
    window = iv.contact_window
    if window is None:
        text = click.prompt(
            "Best days and hours to call (e.g. tue,thu 10:00-12:00; empty: not said)",
            default="",
            show_default=False,
        )
        window = _window(text, "window") if text.strip() else None
    answer = ""
    if iv.answer_by is None:
        answer = click.prompt(
            "Date they promised an answer by (empty: none given)", default="", show_default=False
        )
    return interviews.Debrief(
        contacts_every_applicant=every,
        direct_contact_ok=direct,
        contact_window=window,
        answer_by=env.day(answer, "answer date") if answer.strip() else None,
        contacts=tuple(updates),
        new_interviewers=tuple(new),
    )


def _ask_detail(label: str, check: Callable[[str], str]) -> str | None:
    """Ask until the value is valid or left empty."""
    while True:
        value = click.prompt(f"{label} (empty: unknown)", default="", show_default=False).strip()
        if not value:
            return None
        try:
            return check(value)
        except ValueError as e:
            click.echo(f"  {e}")


def _ask_yes_no(question: str, current: bool | None) -> bool | None:
    default = {True: "yes", False: "no"}.get(current, "unknown")  # type: ignore[arg-type]
    answer = click.prompt(question, type=YES_NO, default=default)
    return yes_no(answer)
