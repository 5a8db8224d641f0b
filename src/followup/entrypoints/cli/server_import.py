"""``followup server import EMAIL FILE``: moving a search into a seeker's account (issue 15).

The same import as ``followup import`` (a followup/1 export, or a spreadsheet with the same
options), run on that seeker's search in the server's database, and on nobody else's: the
store is made for the one seeker, and each of its queries names them. All or nothing (one
transaction), idempotent, read as a stream, and one change in the seeker's history, which
they take back with Undo on their History page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.entrypoints.cli.base import Env, json_option
from followup.entrypoints.cli.data import import_any, import_options

if TYPE_CHECKING:
    from followup.domain.accounts import Account
    from followup.entrypoints.cli.formatter import Formatter
    from followup.services.session import Deps


class SeekerEnv(Env):
    """A command's environment whose services are one seeker's, on the server's database,
    as they are: its plan is made current only after the import (see ``import_``)."""

    def __init__(self, seeker: int) -> None:
        super().__init__(None)
        self.seeker = seeker

    @property
    def deps(self) -> Deps:
        if self._deps is None:
            from followup import bootstrap  # noqa: PLC0415

            self._deps = bootstrap.server_deps(self.seeker, current=False)
        return self._deps


def seeker_account(email: str) -> Account:
    """The active seeker account of ``email``, or one line saying why there is none:
    no such account (exit 3), or one that is disabled or holds no search (exit 8)."""
    from followup import bootstrap  # noqa: PLC0415
    from followup.domain.accounts import AccountRole  # noqa: PLC0415
    from followup.errors import NotFound, Refused  # noqa: PLC0415

    account = bootstrap.server_account(email)
    if account is None:
        raise NotFound(f"{email.strip().lower()}: no such account")
    if account.disabled_at is not None:
        raise Refused(f"{account.email}: the account is disabled; nothing was imported")
    if account.role is not AccountRole.SEEKER:
        role = account.role.value
        raise Refused(
            f"{account.email}: {'an' if role[0] in 'aeiou' else 'a'} {role} account holds no "
            "job search; only a seeker's account can take an import"
        )
    return account


@click.command("import")
@click.argument("email")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@import_options
@json_option
def import_(
    email: str,
    path: str,
    fmt: str | None,
    maps: tuple[str, ...],
    statuses: tuple[str, ...],
    dry_run: bool,
    include_saved: bool,
    dayfirst: bool,
    out: Formatter,
) -> None:
    """Import a followup/1 file (what followup export writes; - for stdin) or a spreadsheet
    (.csv, .xlsx, .md) into the search of EMAIL's seeker account: all of it or nothing.

    As followup import does: records with the same ids are updated, rows are matched to
    the applications already there, and importing a file twice changes nothing. The
    seeker takes the whole import back with Undo on their History page.
    """
    from followup import bootstrap  # noqa: PLC0415

    account = seeker_account(email)
    env = SeekerEnv(account.id)
    try:
        import_any(
            env,
            path,
            fmt,
            out,
            maps,
            statuses,
            dry_run,
            include_saved,
            dayfirst,
            undo=f"{account.email} can take the whole import back with Undo on their History page.",
            ahead=False,
        )
    finally:
        env.close()
    if not dry_run:  # the plan made current (a search never planned, a new planner), as
        with bootstrap.server_seeker_deps(account.id):  # the seeker's first visit would
            pass
