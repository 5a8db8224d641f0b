"""What every command shares: the environment object, the error handler, common options.

Start-up is kept cheap: this module imports Click and nothing heavy. Commands live in
modules loaded only when invoked (:class:`LazyGroup`), and each imports the services
it needs inside its function.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

import click

from followup.entrypoints.cli.remedies import worded
from followup.errors import FollowupError, InvalidInput, Refused

if TYPE_CHECKING:
    from followup.domain.settings import Settings
    from followup.entrypoints.cli.formatter import Formatter
    from followup.services.session import Deps

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code of an unexpected error (a bug): one line, no traceback unless FOLLOWUP_DEBUG=1.
INTERNAL_ERROR = 1
#: Exit code when the user stops a command at a prompt (Ctrl-C, or end of input).
INTERRUPTED = 130
#: A question nobody can answer is refused (exit 8, as :class:`followup.errors.Refused`).
NO_TERMINAL = (
    "a question was asked with no terminal to answer it (standard input ended): "
    "give the answer as an option (see --help); nothing was written"
)


class Env:
    """The injectable environment of a command (httpie-style): streams, terminal, paths.

    Tests run the real command line in-process; only this object knows about the
    outside world, and it builds the services (:mod:`followup.bootstrap`) on first use.
    """

    def __init__(self, db: str | None) -> None:
        self.db = db
        self.now_text: str | None = None
        self._deps: Deps | None = None
        self._settings: Settings | None = None

    @property
    def deps(self) -> Deps:
        if self._deps is None:
            from followup import bootstrap  # noqa: PLC0415
            from followup.domain.when import DateInputError, parse_now  # noqa: PLC0415

            now = None
            try:
                if self.now_text is not None:
                    now = parse_now(self.now_text)
                self._deps = bootstrap.build(self.db, now)
            except DateInputError as e:
                raise InvalidInput(f"--now: {e}") from None
        return self._deps

    def close(self) -> None:
        if self._deps is not None:
            close = getattr(self._deps.store, "close", None)
            if close is not None:
                close()

    @property
    def interactive(self) -> bool:
        """Whether someone can answer a question: standard input is a terminal.

        Without one (a script, a pipe, cron), a command that must ask is refused instead,
        since guessing the answer could add a duplicate or delete a record.
        """
        return sys.stdin is not None and sys.stdin.isatty()

    @property
    def now(self) -> datetime:
        return self.deps.clock.now()

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            # As ``services.settings.show``, without importing that module and what it
            # needs for changing settings: a write's report wants only the time zone.
            with self.deps.store.reading() as repo:
                self._settings = repo.load_settings()
        return self._settings

    @property
    def tz(self) -> tzinfo:
        return self.settings.tz

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    def day(self, text: str, option: str) -> date:
        from followup.domain.when import DateInputError, parse_day  # noqa: PLC0415

        try:
            return parse_day(text, self.today)
        except DateInputError as e:
            raise InvalidInput(f"{option}: {e}") from None

    def moment(self, text: str, option: str) -> datetime:
        """``text`` read as a moment; in an hour lived twice, a warning says which was taken."""
        from followup.domain.when import DateInputError, parse_moment, twice_note  # noqa: PLC0415

        try:
            moment = parse_moment(text, self.now, self.tz)
        except DateInputError as e:
            raise InvalidInput(f"{option}: {e}") from None
        note = twice_note(moment)
        if note is not None:
            click.echo(f"followup: warning: {option}: {note}", err=True)
        return moment


pass_env = click.make_pass_decorator(Env)


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (``name -> "module:attr"``)."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attr = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
            return result
        except BrokenPipeError:
            closed_pipe()
        except FollowupError as e:
            fail(worded(e), e.exit_code)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except click.Abort as e:
            # Click turns both Ctrl-C and the end of standard input into Abort; the end
            # of input (a script, a pipe, </dev/null) is a question nobody can answer:
            # refused, as ``add`` and ``delete`` refuse to ask without a terminal.
            if isinstance(e.__context__, EOFError):
                fail(NO_TERMINAL, Refused.exit_code)
            fail("stopped before saving; nothing was written", INTERRUPTED)
        except KeyboardInterrupt:
            fail("stopped before saving; nothing was written", INTERRUPTED)
        except Exception as e:
            if os.environ.get("FOLLOWUP_DEBUG"):
                raise
            fail(
                f"unexpected error ({type(e).__name__}: {e}); nothing was written. "
                "Run again with FOLLOWUP_DEBUG=1 for details",
                INTERNAL_ERROR,
            )


#: Exit code when the reader of the output went away (``followup today | head -2``): the
#: shell's code for a command ended by SIGPIPE, so pipelines behave as with other tools.
CLOSED_PIPE = 141


def closed_pipe() -> None:
    """End quietly: the reader has what it wanted. Anything still buffered goes nowhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(CLOSED_PIPE)


def fail(message: str, code: int) -> None:
    click.echo(f"followup: {message}", err=True)
    sys.exit(code)


def now_option(f: F) -> F:
    """``--now``: replaces the clock (ISO 8601 with an offset), for this command only."""

    def remember(ctx: click.Context, _: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.find_object(Env).now_text = value  # type: ignore[union-attr]
        return value

    return click.option(
        "--now",
        metavar="DATETIME",
        expose_value=False,
        callback=remember,
        is_eager=True,
        help="Pretend it is this moment: ISO 8601 with an offset (2026-03-09T08:00:00+00:00),"
        " or without one in your time zone (2026-03-09 is the start of that day).",
    )(f)


def json_option(f: F) -> F:
    """``--json``: hands the command its formatter (``out``), JSON or text, chosen here once."""

    def formatter(_: click.Context, __: click.Parameter, value: bool) -> Formatter:
        from followup.entrypoints.cli.formatter import choose  # noqa: PLC0415

        return choose(value)

    return click.option(
        "--json",
        "out",
        is_flag=True,
        callback=formatter,
        help="Print JSON instead of text (stable, for scripts).",
    )(f)


def yes_no(value: str | None) -> bool | None:
    """``yes`` / ``no`` / ``unknown`` options (R3's questions)."""
    return {"yes": True, "no": False}.get(value) if value else None


YES_NO = click.Choice(["yes", "no", "unknown"])
