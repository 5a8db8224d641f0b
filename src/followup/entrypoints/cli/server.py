"""``followup server``: followup for many people, on PostgreSQL (issue 15, in progress).

The server's database is named by ``FOLLOWUP_DATABASE_URL`` (``postgresql://...``), only
from the environment: a URL may hold a password, which a command-line option would show
to every user of the machine (``ps``). Nothing here touches the local database.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click

from followup.entrypoints.cli.base import json_option

if TYPE_CHECKING:
    from followup.entrypoints.cli.formatter import Formatter


@click.group()
def server() -> None:
    """Run followup for several people on PostgreSQL (in progress: schema and accounts).

    The database is given by FOLLOWUP_DATABASE_URL=postgresql://USER@HOST:PORT/DBNAME.
    """


@server.command()
def init() -> None:
    """Create followup's schema in an empty PostgreSQL database."""
    from followup import bootstrap  # noqa: PLC0415

    where, _, after = bootstrap.server_schema(create=True)
    click.echo(f"{where}: created followup's schema (version {after})")


@server.command()
def migrate() -> None:
    """Bring the schema of the server's database up to this followup's version."""
    from followup import bootstrap  # noqa: PLC0415

    where, before, after = bootstrap.server_schema(create=False)
    if before == after:
        click.echo(f"{where}: schema {after} is current; nothing to do")
    else:
        click.echo(f"{where}: migrated the schema from version {before} to {after}")


@server.group()
def user() -> None:
    """Add, list and disable the server's accounts."""


@user.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["seeker", "coach", "admin"]),
    default="seeker",
    show_default=True,
    help="A seeker keeps a job search; a coach reads those shared with them; an admin "
    "manages accounts.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the account's password from the first line of standard input (for scripts; "
    "never type it in a command line).",
)
def user_add(email: str, role: str, password_stdin: bool) -> None:
    """Add an account for EMAIL."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.domain.accounts import AccountRole  # noqa: PLC0415
    from followup.services import accounts  # noqa: PLC0415

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    account = accounts.add(bootstrap.server_accounts(), email, AccountRole(role), password)
    click.echo(f"{account.email}: added as {account.role} (account {account.id})")
    if not account.has_password:
        click.echo(
            "It has no password yet, so it cannot sign in: give one with --password-stdin "
            "(invitation links come with the server's web app, not built yet)."
        )


@user.command("list")
@json_option
def user_list(out: Formatter) -> None:
    """List the accounts: email, role, since when, and whether they can sign in."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import accounts  # noqa: PLC0415

    found = accounts.listed(bootstrap.server_accounts())

    def state(disabled: datetime | None, has_password: bool) -> str:
        if disabled is not None:
            return f"disabled {disabled:%Y-%m-%d}"
        return "active" if has_password else "no password yet"

    def text() -> None:
        if not found:
            click.echo("No accounts yet: add one with `followup server user add EMAIL`.")
        for a in found:
            state_text = state(a.disabled_at, a.has_password)
            click.echo(f"{a.id:>5}  {a.email}  {a.role}  {a.created_at:%Y-%m-%d}  {state_text}")

    out.show(
        lambda: [
            {
                "id": a.id,
                "email": a.email,
                "role": a.role.value,
                "created_at": a.created_at.isoformat(),
                "disabled_at": a.disabled_at.isoformat() if a.disabled_at else None,
                "has_password": a.has_password,
            }
            for a in found
        ],
        text,
    )


@user.command("disable")
@click.argument("email")
def user_disable(email: str) -> None:
    """Disable the account of EMAIL: it keeps its data and can no longer sign in."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import accounts  # noqa: PLC0415

    account = accounts.disable(bootstrap.server_accounts(), email)
    assert account.disabled_at is not None
    click.echo(f"{account.email}: disabled since {account.disabled_at:%Y-%m-%d %H:%M} UTC")


def _add_mail_and_jobs() -> None:
    """The mail and jobs commands live in their own module (``server_jobs``)."""
    from followup.entrypoints.cli import server_jobs  # noqa: PLC0415

    server.add_command(server_jobs.mail_password)
    server.add_command(server_jobs.rotate_key)
    server.add_command(server_jobs.digest)
    server.add_command(server_jobs.worker)


_add_mail_and_jobs()
