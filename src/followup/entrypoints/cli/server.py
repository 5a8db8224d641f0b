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
    """Run followup for several people on PostgreSQL (in progress: schema, accounts, web app).

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
    """Add, list, disable, enable and delete the server's accounts."""


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
        _invitation(account.email)


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


@user.command("enable")
@click.argument("email")
def user_enable(email: str) -> None:
    """Let the account of EMAIL sign in again (undoes `user disable`)."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import accounts  # noqa: PLC0415

    account = accounts.enable(bootstrap.server_accounts(), email)
    click.echo(f"{account.email}: can sign in")


@user.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask (needed without a terminal).")
def user_delete(email: str, yes: bool) -> None:
    """Delete the account of EMAIL and everything it holds, for good.

    A seeker's whole search goes with it: records, plan, history, mail settings, shares
    and the log of coaches' looks. A coach's shares go (the seekers' logs keep the
    email). It cannot be undone: a seeker can take their search along first (Settings,
    Export), and `user disable` only stops the sign-in.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.errors import Refused  # noqa: PLC0415
    from followup.services import accounts  # noqa: PLC0415

    deps = bootstrap.server_accounts()
    checked = accounts.address(deps, email)
    if not yes:
        if not (sys.stdin is not None and sys.stdin.isatty()):
            raise Refused("deleting an account asks first, and there is no terminal: pass --yes")
        question = f"Delete {checked} and everything the account holds? It cannot be undone."
        if not click.confirm(question, default=False):
            click.echo("Nothing deleted.")
            return
    account = accounts.delete(deps, checked)
    held = " and its search" if account.role.value == "seeker" else ""
    click.echo(f"{account.email}: deleted ({account.role}{held})")


def _invitation(email: str) -> None:
    """Print a one-time link for the account to choose its password (valid 7 days)."""
    import os  # noqa: PLC0415

    from followup import bootstrap  # noqa: PLC0415
    from followup.services import signin  # noqa: PLC0415

    deps = bootstrap.server_signins()
    secret = signin.invite(deps, signin.account_of(deps, email))
    base = os.environ.get("FOLLOWUP_PUBLIC_URL", "").strip().rstrip("/") or DEFAULT_URL
    click.echo(
        f"Send this one-time link to {email} to choose a password (valid for "
        f"{signin.INVITATION_LIFETIME.days} days): {base}/invite/{secret}"
    )


def _host_names(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[str, ...]:
    """``--allow-host`` takes what ``followup serve`` takes: names and addresses only."""
    from followup.entrypoints.cli.serve import _host_names as checked  # noqa: PLC0415

    return checked(ctx, param, values)


#: Where invitation links point when FOLLOWUP_PUBLIC_URL does not say.
DEFAULT_URL = "http://127.0.0.1:8000"


@server.command()
@click.argument("email")
def token(email: str) -> None:
    """Print a new API token for EMAIL's account (shown once: only its hash is kept).

    A program sends it as "Authorization: Bearer TOKEN" to /api/; the account's page of
    the web app lists its tokens and revokes them.
    """
    from followup import bootstrap  # noqa: PLC0415
    from followup.errors import Refused  # noqa: PLC0415
    from followup.services import signin  # noqa: PLC0415

    deps = bootstrap.server_signins()
    account = signin.account_of(deps, email)
    if account.disabled_at is not None:
        raise Refused(f"{account.email}: the account is disabled")
    click.echo(signin.new_token(deps, account))
    click.echo(f"A new API token for {account.email}: it is shown only this once.", err=True)


@server.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to use."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (each with its own pool of database connections).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    callback=_host_names,
    metavar="NAME",
    help="Another name the app answers to (repeat for more), e.g. the name in the address "
    "people use. Requests for any other host are refused.",
)
@click.option(
    "--trusted-proxy",
    envvar="FOLLOWUP_TRUSTED_PROXY",
    default=None,
    metavar="ADDRESSES",
    help="The reverse proxy's address(es), comma-separated (also FOLLOWUP_TRUSTED_PROXY): "
    "only from these are X-Forwarded-For and X-Forwarded-Proto believed (the client's "
    "address, and HTTPS for Secure cookies).",
)
def run(
    host: str, port: int, workers: int, allow_hosts: tuple[str, ...], trusted_proxy: str | None
) -> None:
    """Serve the web app and the API to the server's accounts (each signs in)."""
    import json  # noqa: PLC0415
    import os  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415

    from followup import bootstrap  # noqa: PLC0415

    bootstrap.server_secret_key()  # refused now, in one line, rather than in each worker
    bootstrap.server_threads()
    bootstrap.server_max_upload()
    bootstrap.server_gate(pool_size=1).close()  # the database answers and is current
    os.environ[bootstrap.SERVER_BIND] = json.dumps([host, port, list(allow_hosts)])
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"followup server is serving at http://{shown}:{port}/ ({workers} workers)")
    uvicorn.run(
        "followup.bootstrap:server_web_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # an access log would keep invitation links (their path)
        server_header=False,
        proxy_headers=trusted_proxy is not None,
        forwarded_allow_ips=trusted_proxy or "",
    )


def _add_mail_and_jobs() -> None:
    """The mail and jobs commands live in their own module (``server_jobs``)."""
    from followup.entrypoints.cli import server_jobs  # noqa: PLC0415

    server.add_command(server_jobs.mail_password)
    server.add_command(server_jobs.rotate_key)
    server.add_command(server_jobs.digest)
    server.add_command(server_jobs.worker)


_add_mail_and_jobs()


def _add_import() -> None:
    """Moving a search into an account: its own module (``server_import``)."""
    from followup.entrypoints.cli import server_import  # noqa: PLC0415

    server.add_command(server_import.import_)


_add_import()
