"""Every command has help, and the README documents it (datasette's habit)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from followup.domain.policy import POLICY_KEYS
from followup.entrypoints.cli import LAZY, cli

README = (Path(__file__).parents[2] / "README.md").read_text()


def commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found: list[tuple[str, click.Command]] = []
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None, name
        found.append((name, command))
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, parent=ctx)
            for sub in command.list_commands(sub_ctx):
                sub_command = command.get_command(sub_ctx, sub)
                assert sub_command is not None
                found.append((f"{name} {sub}", sub_command))
    return found


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help, f"followup {name} has no help text"
    assert len(command.get_short_help_str()) > 10
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"followup {name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name", sorted(LAZY))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"followup {name}" in README, f"the README does not mention followup {name}"


def test_every_policy_key_is_in_the_readme() -> None:
    for key in POLICY_KEYS.values():
        assert f"`{key.name}`" in README
        assert key.rule in README


# export: the followup/1 file itself; serve: a server; the rest print a line or a prompt.
WITHOUT_JSON = {"export", "serve", "outbox retry", "outbox sent", "outbox drop", "mail test",
                "mail password", "ics", "feed new", "feed off",
                "server init", "server migrate", "server user add",
                "server user disable", "server mail-password", "server rotate-key",
                "server worker", "server digest", "server run", "server token"}  # fmt: skip
# not about a date, or a live server, or talking to a mail server, or the server's schema
# and accounts (kept on the real clock)
WITHOUT_NOW = {"export", "config show", "doctor", "serve", "outbox", "mail test",
               "mail password", "feed off", "server init", "server migrate",
               "server user add", "server user list", "server user disable",
               "server mail-password", "server rotate-key", "server worker",
               "server digest", "server run", "server token", "server import"}  # fmt: skip


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_command_that_prints_data_has_json_and_every_dated_one_has_now(
    name: str, command: click.Command
) -> None:
    if isinstance(command, click.Group):
        return
    options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
    if name not in WITHOUT_JSON:
        assert "--json" in options, f"followup {name} has no --json"
    if name not in WITHOUT_NOW:
        assert "--now" in options, f"followup {name} has no --now"
