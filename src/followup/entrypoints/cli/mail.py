"""Email for real: send, sync, the outbox, and the mail settings' check (issue 4)."""

from __future__ import annotations

import re

import click

from followup.domain import words
from followup.domain.mailbox import OutboxState
from followup.domain.replies import Proposal
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import actions_json, heading, print_actions
from followup.errors import MailFailed, Refused


@click.command()
@click.argument("action_id", metavar="ACTION_ID")
@click.option(
    "--dry-run", is_flag=True, help="Print the exact message that would go out; send nothing."
)
@click.option("--yes", "-y", is_flag=True, help="Send without asking (after showing it).")
@json_option
@now_option
@pass_env
def send(env: Env, action_id: str, dry_run: bool, yes: bool, out: Formatter) -> None:
    """Send the email an action asks for (a thank-you or a status email) from your account.

    The message is shown first; it is kept in the outbox before it goes out, so a crash or
    a lost connection never loses it, and never sends it twice without asking.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import mail  # noqa: PLC0415

    entry = mail.compose(env.deps, action_id, env.now, preview=dry_run)
    if dry_run:
        if entry.sender == mail.STAND_IN_SENDER:
            click.echo(
                "followup: note: your address is not set, so From is a stand-in; before "
                "sending: followup config set mail.address YOU@EXAMPLE",
                err=True,
            )
        out.show(
            {"message_id": entry.message_id, "message": entry.message.decode()},
            lambda: click.echo(entry.message.decode(), nl=False),
        )
        return
    if out.for_people:
        click.echo(f"From: {entry.sender}\nTo: {entry.recipient}\nSubject: {entry.subject}\n")
        body = entry.message.decode().split("\r\n\r\n", 1)[-1]
        click.echo(body.replace("\r\n", "\n").rstrip())
        click.echo("")
        if not yes and not click.confirm("Send it?", default=False):
            click.echo("Not sent.")
            return
    delivery = mail.send(env.deps, bootstrap.mailer(env.deps), entry, env.now)
    logged = delivery.logged
    assert logged is not None

    def text() -> None:
        click.echo(f"Sent to {entry.recipient} ({entry.message_id}).")
        for warning in logged.warnings:  # R13, R7: sent anyway, as `log` and `done` say
            click.echo(click.style(f"Warning: {warning}", fg="yellow"), err=True)
        heading("Next for this application")
        print_actions(logged.actions, env.today)

    out.show(
        lambda: {
            "sent": entry.message_id,
            "outbox": delivery.entry.id,
            "warnings": logged.warnings,
            "actions": actions_json(logged.actions, env.today),
        },
        text,
    )


#: What a message may not print to a terminal: control characters (an escape sequence can
#: clear the screen or set the window's title) and the marks that reorder text.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: str | None, limit: int = 100) -> str:
    """Text from a message made safe to print: one line, no control characters."""
    return " ".join(_UNPRINTABLE.sub(" ", text or "").split())[:limit]


def _reads_as(proposal: Proposal) -> str:
    if proposal.decision is None:
        return "an invitation to a next round"
    by = f", by {words.day(proposal.decision_by)}" if proposal.decision_by else ""
    return f"{proposal.decision.value}{by}"


def _proposal_json(proposal: Proposal) -> dict[str, object]:
    return {
        "decision": proposal.decision.value if proposal.decision else None,
        "decision_by": proposal.decision_by.isoformat() if proposal.decision_by else None,
        "next_round": proposal.next_round,
        "sentence": proposal.sentence,
    }


@click.command()
@click.option("--yes", "-y", is_flag=True, help="Accept every proposed decision without asking.")
@json_option
@now_option
@pass_env
def sync(env: Env, yes: bool, out: Formatter) -> None:
    """Read your mailbox (read-only) and record the replies to your follow-ups.

    A reply is matched to the email it answers, else to the contact who wrote it; only
    what they wrote is read (not the quoted text). When it seems to state a decision,
    followup shows the sentence and asks: Enter records the reply without a decision.
    Automatic mail never counts as an answer; a delivery report marks the address as
    failing. With --json and without --yes, replies are recorded and the proposals
    listed, none applied.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import mail  # noqa: PLC0415

    fetched = mail.fetch(env.deps, bootstrap.mailbox(env.deps), env.today)
    for folder in fetched.missing:
        click.echo(f"No folder {plain(folder)!r} on the server: skipped it.", err=True)
    decisions: list[Proposal | None] = []
    for reply in fetched.replies:
        assert reply.answers is not None
        proposal = reply.proposal
        accepted = proposal if yes and proposal and proposal.decision else None
        if out.for_people:
            when = words.day(reply.mail.at.astimezone(env.tz).date()) if reply.mail.at else ""
            heading(f"{reply.answers.application}: reply from {plain(reply.mail.sender)} {when}")
            click.echo(f"  Subject: {plain(reply.mail.subject)}")
            for line in [ln for ln in reply.mail.text.splitlines() if ln.strip()][:3]:
                click.echo(f"  | {plain(line)}")
            if proposal is not None:
                click.echo(f"  It says: \u201c{plain(proposal.sentence, 200)}\u201d")
                click.echo(f"  That reads as: {_reads_as(proposal)}.")
                if proposal.next_round:
                    click.echo(
                        f"  Record the interview when it is set: followup interview add "
                        f"{reply.answers.application} ..."
                    )
                elif not yes and click.confirm(
                    "  Record that decision? (Enter: record the reply only)", default=False
                ):
                    accepted = proposal
        decisions.append(accepted)
    logged = mail.record(env.deps, fetched, decisions, env.now)

    def text() -> None:
        for notice in fetched.notices:
            click.echo(
                f"{notice.answers.application}: automatic mail from {plain(notice.mail.sender)} "
                f"({plain(notice.why)}), not an answer: {plain(notice.mail.subject)}"
            )
        for bounce in fetched.bounces:
            for app, contact, address in bounce.contacts:
                click.echo(
                    f"{app}: mail to {plain(address)} bounced; followup will not email {contact} "
                    f"there (when it works again: followup contact edit {app} {contact} --email-ok)"
                )
        if not logged:
            click.echo("No new reply to your follow-ups.")
        for item in logged:
            click.echo(f"Recorded the reply for {item.application.id}; next:")
            print_actions(item.actions, env.today, "Nothing more to do here.")

    out.show(
        lambda: {
            "recorded": [
                {
                    "application": item.application.id,
                    "touch": item.touch.id,
                    "message_id": item.touch.message_id,
                    "decision": item.touch.decision.value if item.touch.decision else None,
                    "decision_by": item.touch.decision_by.isoformat()
                    if item.touch.decision_by
                    else None,
                    "actions": actions_json(item.actions, env.today),
                    "proposal": _proposal_json(reply.proposal) if reply.proposal else None,
                }
                for item, reply in zip(logged, fetched.replies, strict=True)
            ],
            "automatic": [
                {
                    "application": n.answers.application,
                    "from": n.mail.sender,
                    "subject": n.mail.subject,
                    "why": n.why,
                }
                for n in fetched.notices
            ],
            "bounced": [
                {"application": app, "contact": contact, "email": address}
                for b in fetched.bounces
                for app, contact, address in b.contacts
            ],
            "missing_folders": fetched.missing,
        },
        text,
    )


@click.group(invoke_without_command=True)
@json_option
@pass_env
@click.pass_context
def outbox(ctx: click.Context, env: Env, out: Formatter) -> None:
    """Emails not known to have gone out, and what to do with each."""
    if ctx.invoked_subcommand is not None:
        return
    from followup.services import mail  # noqa: PLC0415

    entries = mail.outbox(env.deps)

    def text() -> None:
        if not entries:
            click.echo("The outbox is empty: every email went out.")
        for e in entries:
            click.echo(f"{e.id}  {e.state.value}  to {e.recipient}: {e.subject}")
            if e.error:
                click.echo(f"    {e.error}")
            if e.state is OutboxState.SENDING:
                click.echo(
                    "    It may have gone out. Look in your Sent folder, then: "
                    f"followup outbox sent {e.id} (it went) "
                    f"or followup outbox retry {e.id} (it did not)."
                )
            else:
                click.echo(
                    f"    Not sent. followup outbox retry {e.id} sends it; drop {e.id} forgets it."
                )

    out.show(
        lambda: [
            {
                "id": e.id,
                "state": e.state.value,
                "action": e.action_id,
                "to": e.recipient,
                "subject": e.subject,
                "message_id": e.message_id,
                "created_at": e.created_at.isoformat(),
                "error": e.error,
            }
            for e in entries
        ],
        text,
    )


@outbox.command("retry")
@click.argument("entry_id", metavar="ID", type=int)
@now_option
@pass_env
def outbox_retry(env: Env, entry_id: int) -> None:
    """Send a stored email again, exactly as it was (you checked it did not go out)."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import mail  # noqa: PLC0415

    delivery = mail.retry(env.deps, bootstrap.mailer(env.deps), entry_id, env.now)
    click.echo(f"Sent to {delivery.entry.recipient} ({delivery.entry.message_id}).")


@outbox.command("sent")
@click.argument("entry_id", metavar="ID", type=int)
@now_option
@pass_env
def outbox_sent(env: Env, entry_id: int) -> None:
    """Record a stored email as sent (you found it in your Sent folder)."""
    from followup.services import mail  # noqa: PLC0415

    delivery = mail.mark_sent(env.deps, entry_id, env.now)
    click.echo(f"Recorded as sent: {delivery.entry.subject}.")


@outbox.command("drop")
@click.argument("entry_id", metavar="ID", type=int)
@now_option
@pass_env
def outbox_drop(env: Env, entry_id: int) -> None:
    """Forget a stored email (the action stays planned; sending again composes it afresh)."""
    from followup.services import mail  # noqa: PLC0415

    mail.drop(env.deps, entry_id, env.now)
    click.echo(f"Dropped {entry_id}.")


@click.group()
def mail() -> None:
    """Check the mail settings, or keep a mail password in your OS keyring."""


@mail.command("test")
@pass_env
def mail_test(env: Env) -> None:
    """Connect to your SMTP and IMAP servers (TLS, certificate, login, folders); send nothing."""
    from followup import bootstrap  # noqa: PLC0415

    failed = False
    for name, part in (("SMTP", bootstrap.mailer), ("IMAP", bootstrap.mailbox)):
        try:
            for step in part(env.deps).check():
                click.echo(f"{name}: {step}")
        except MailFailed as e:
            failed = True
            click.echo(f"{name}: failed: {e}", err=True)
    if failed:
        raise MailFailed("the mail settings need attention (see above)")


@mail.command("password")
@click.argument("kind", type=click.Choice(["smtp", "imap"]))
@pass_env
def mail_password(env: Env, kind: str) -> None:
    """Keep the SMTP or IMAP password in your OS keyring (asked without echo)."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    s = mail_settings(env.deps)
    user = (s.smtp_user if kind == "smtp" else s.imap_user) or ""
    host = (s.smtp_host if kind == "smtp" else s.imap_host) or ""
    if not user or not host:
        raise Refused(f"set mail.{kind}_host and mail.{kind}_user first (followup config set ...)")
    secret = click.prompt(f"{kind.upper()} password for {user} at {host}", hide_input=True)
    elsewhere = bootstrap.keep_password(kind, user, host, secret)
    if elsewhere is not None:
        variable, path = elsewhere
        raise Refused(
            f"no OS keyring on this machine: set {variable}, or write the "
            f"password to {path} and chmod 600 {path}"
        )
    click.echo(f"Kept in your OS keyring for {user} at {host}.")
