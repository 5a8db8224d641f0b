"""followup's command line: a thin layer over :mod:`followup.services`.

This entry module imports only Click (and, through the store, ``sqlite3``); each
command's module is imported when that command runs. Exit codes are a public contract:

====  =========================================================
0     success
1     unexpected error (a bug: please report it)
2     bad usage (unknown option, missing argument)
3     not found (application, contact, interview or action id)
4     invalid value (email, phone, date, status, setting)
5     invalid import file (nothing was imported)
6     database refused (not a followup database, too new, or in a folder that does not exist)
7     database busy (another process held it too long)
8     refused (a duplicate, an action that cannot be dismissed, nothing to undo,
      a question with no terminal to ask it on)
9     ``doctor`` found problems (and was not asked to repair them)
10    mail failed (server unreachable, login refused, certificate not trusted)
11    database read-only (a write, or a needed upgrade, to a file or folder not writable)
12    server database unavailable (``FOLLOWUP_DATABASE_URL`` not set, unreachable, or the
      login refused)
130   stopped at a prompt (nothing was written)
141   the output was closed early (``| head``): quietly, like a command ended by SIGPIPE
====  =========================================================
"""

from __future__ import annotations

import gc

#: The collector's first threshold in this program (CPython's default: 700). Start-up
#: allocates tens of thousands of objects that live until the end (modules, classes,
#: functions), and at 700 the collector ran about 30 times over them in ``followup today``,
#: for nothing: a sixth of its CPU time. A command makes few reference cycles, and a
#: higher threshold only lets those wait longer. Set here, before Click and the commands'
#: modules are imported, not in :func:`main`: their import was most of those runs (3 ms of
#: CPU in ``followup today``, issue 12).
_GC_THRESHOLD = 20_000
gc.set_threshold(_GC_THRESHOLD, *gc.get_threshold()[1:])

import click  # noqa: E402 - after the collector's threshold, on purpose

from followup import __version__  # noqa: E402
from followup.entrypoints.cli.base import Env, LazyGroup  # noqa: E402

_COMMANDS = "followup.entrypoints.cli."
LAZY = {
    "add": "applications:add",
    "list": "applications:list_",
    "show": "applications:show",
    "status": "applications:status",
    "snooze": "applications:snooze",
    "edit": "corrections:edit",
    "delete": "corrections:delete",
    "reschedule": "corrections:reschedule",
    "cancel": "corrections:cancel",
    "company": "companies:company",
    "history": "history:history",
    "undo": "history:undo",
    "forget": "history:forget",
    "contact": "contacts:contact",
    "interview": "interviews:interview",
    "debrief": "interviews:debrief",
    "log": "touches:log",
    "call": "touches:call",
    "done": "touches:done",
    "dismiss": "touches:dismiss",
    "touch": "touch:touch",
    "today": "plan:today",
    "plan": "plan:plan",
    "explain": "plan:explain",
    "draft": "plan:draft",
    "script": "plan:script",
    "import": "data:import_",
    "export": "data:export",
    "report": "report:report",
    "config": "data:config",
    "doctor": "data:doctor",
    "demo": "demo:demo",
    "serve": "serve:serve",
    "server": "server:server",
    "send": "mail:send",
    "sync": "mail:sync",
    "outbox": "mail:outbox",
    "mail": "mail:mail",
    "ics": "calendar:ics",
    "feed": "calendar:feed",
    "digest": "calendar:digest",
    "stats": "stats:stats",
}


@click.group(
    cls=LazyGroup,
    lazy={name: _COMMANDS + target for name, target in LAZY.items()},
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    metavar="PATH",
    envvar="FOLLOWUP_DB",
    help="The database file (default: followup.db in your user data dir; env FOLLOWUP_DB).",
)
@click.version_option(__version__, prog_name="followup")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Plan the follow-ups of your job search: what to do, for whom, when, and why.

    Start with `followup today`. Each action says which rule (R1-R20) asks for it;
    `followup explain ID` shows how its date was computed.
    """
    env = Env(db)
    ctx.obj = env
    ctx.call_on_close(env.close)


def main() -> None:
    """The ``followup`` program: the command line, run once, in a process of its own.

    At the end, everything still alive is frozen out of the collector's reach: the last
    full collection at exit would otherwise walk every module's objects, to free memory
    the process is about to give back whole (``gc.freeze``; atexit handlers, buffered
    output and open files are closed as usual).
    """
    try:
        cli(prog_name="followup")
    finally:
        gc.freeze()
