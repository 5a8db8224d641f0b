"""``followup server`` commands for the seekers' mail and the background jobs (issue 15):
their mail passwords, sealed with the server's key, and the worker that sends the
digests, reads the replies and retries the outbox."""

from __future__ import annotations

import sys

import click


@click.command("mail-password")
@click.argument("email")
@click.argument("kind", type=click.Choice(["smtp", "imap"]))
def mail_password(email: str, kind: str) -> None:
    """Keep a seeker's SMTP or IMAP password, read from the first line of standard input.

    It is stored sealed with FOLLOWUP_SECRET_KEY, for the login and host of the seeker's
    mail settings (set those first); never in clear, in the database or anywhere else.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.errors import InvalidInput, NotFound, Refused  # noqa: PLC0415
    from followup.services.mail import mail_settings  # noqa: PLC0415

    box = bootstrap.server_secret_box()
    seeker = bootstrap.server_seeker(email)
    if seeker is None:
        raise NotFound(f"{email}: no active seeker account")
    deps = bootstrap.server_deps(seeker)
    s = mail_settings(deps)
    login = (s.smtp_user if kind == "smtp" else s.imap_user) or ""
    host = (s.smtp_host if kind == "smtp" else s.imap_host) or ""
    if not login or not host:
        raise Refused(f"{email}: set mail.{kind}_host and mail.{kind}_user first")
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InvalidInput("no password on standard input", field="password")
    bootstrap.server_mail_secrets(deps, box).keep(kind, login, host, password)
    click.echo(f"{email}: {kind} password for {login} at {host} kept, sealed")


@click.command("rotate-key")
def rotate_key() -> None:
    """Re-seal every stored mail password with FOLLOWUP_SECRET_KEY.

    Put the new key in FOLLOWUP_SECRET_KEY and the old one in FOLLOWUP_OLD_SECRET_KEYS,
    run this, then the old key can go.
    """
    from followup import bootstrap  # noqa: PLC0415

    count = bootstrap.server_rotate_key()
    click.echo(f"Re-sealed {count} mail password{'s' if count != 1 else ''} with the current key")


@click.command("digest")
@click.argument("email")
@click.argument("state", type=click.Choice(["on", "off"]))
def digest(email: str, state: str) -> None:
    """Email a seeker their daily digest at 08:00 in their time zone (on), or stop (off).

    The worker sends it (followup server worker), once a day, to the seeker's mail.address
    through their SMTP server.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.errors import NotFound  # noqa: PLC0415

    seeker = bootstrap.server_seeker(email)
    if seeker is None:
        raise NotFound(f"{email}: no active seeker account")
    bootstrap.server_schedule().set_digest(seeker, state == "on")
    click.echo(f"{email}: daily digest by email {state}")


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Jobs this worker runs at once (run more workers to use more machines).",
)
@click.option(
    "--stalled-after",
    type=click.FloatRange(2, 3600),
    default=60.0,
    show_default=True,
    help="Seconds without a heartbeat after which a worker is taken for dead and its jobs "
    "run again elsewhere.",
)
@click.option(
    "--sync-every",
    type=click.IntRange(1, 86400),
    default=900,
    show_default=True,
    help="Seconds between two readings of each seeker's mailbox (and outbox retries).",
)
@click.option(
    "--tick",
    type=click.IntRange(1, 60),
    default=60,
    show_default=True,
    help="Seconds between two looks at which jobs are due.",
)
def worker(concurrency: int, stalled_after: float, sync_every: int, tick: int) -> None:
    """Run the background jobs: the daily digests, reading replies, outbox retries.

    Run as many as you like, on any machine that reaches the database: each job runs
    once. Stop with Ctrl-C or SIGTERM (the jobs under way finish first).
    """
    from followup import bootstrap  # noqa: PLC0415

    url = bootstrap.server_database_url()
    bootstrap.server_schedule(url).check()  # one line, not a traceback, if it cannot start
    bootstrap.server_secret_box()
    from followup.entrypoints import worker as jobs  # noqa: PLC0415 - procrastinate: heavy

    jobs.run(url, jobs.Timing(tick, sync_every, stalled_after), concurrency)
