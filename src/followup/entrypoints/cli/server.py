"""``followup server``: followup for many people, on PostgreSQL (issue 15, in progress).

The server's database is named by ``FOLLOWUP_DATABASE_URL`` (``postgresql://...``), only
from the environment: a URL may hold a password, which a command-line option would show
to every user of the machine (``ps``). Nothing here touches the local database.
"""

from __future__ import annotations

import click


@click.group()
def server() -> None:
    """Run followup for several people on PostgreSQL (in progress: the schema only).

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
