"""``followup demo``: a sample job search in a throwaway database, and its plan."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import click

from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.errors import Refused


@click.command()
@json_option
@now_option
@pass_env
def demo(env: Env, out: Formatter) -> None:
    """Load a realistic sample job search into a throwaway database and show its plan.

    Without --db (or FOLLOWUP_DB) it creates a new database in a temporary folder and
    says where; it never writes into a database that already holds applications.
    """
    from followup.demo import sample  # noqa: PLC0415
    from followup.entrypoints.cli.plan import plan_json, plan_view, print_plan  # noqa: PLC0415
    from followup.services.interchange import import_data  # noqa: PLC0415
    from followup.services.session import reading  # noqa: PLC0415

    if env.db is None:
        env.db = os.path.join(tempfile.mkdtemp(prefix="followup-demo-"), "demo.db")
    from followup.services.applications import is_empty  # noqa: PLC0415

    if not is_empty(env.deps):
        raise Refused(f"{env.db} already holds applications; the demo needs an empty database")
    import_data(env.deps, sample(env.now, env.tz), now=env.now)

    def text() -> None:
        # The command as the user can type it: `followup` when it is on the PATH.
        command = "followup" if shutil.which("followup") else sys.argv[0]
        click.echo(f"Sample job search loaded into {env.db}")
        click.echo(f"Explore it:  FOLLOWUP_DB={env.db} {command} show acme-backend")
        click.echo("")
        with reading(env.deps, env.now) as plan:
            print_plan(plan, 7, None)

    out.show(lambda: {"database": env.db, **plan_json(plan_view(env, 7))}, text)
