"""The output chosen once: ``--json`` hands each command a formatter, which builds only its side."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click
import pytest

from followup.entrypoints.cli.formatter import Formatter, JsonFormatter, TextFormatter, choose
from tests.e2e.test_cli_help import commands


def never() -> NoReturn:
    raise AssertionError("the other side of the output was built")


def test_json_prints_one_document_and_never_the_text(capsys: pytest.CaptureFixture[str]) -> None:
    JsonFormatter().show(lambda: {"id": "acme-backend-engineer", "name": "Ana Sousa"}, never)
    assert json.loads(capsys.readouterr().out) == {
        "id": "acme-backend-engineer",
        "name": "Ana Sousa",
    }


def test_json_takes_a_value_as_well_as_how_to_build_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    JsonFormatter().show({"deleted": "t2"}, never)
    assert json.loads(capsys.readouterr().out) == {"deleted": "t2"}


def test_text_prints_the_words_and_never_builds_the_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    TextFormatter().show(never, lambda: click.echo("Saved iv1."))
    assert capsys.readouterr().out == "Saved iv1.\n"


def test_only_people_are_asked() -> None:
    assert choose(False).for_people
    assert not choose(True).for_people


@pytest.mark.parametrize(("name", "command"), commands(), ids=[n for n, _ in commands()])
def test_every_json_option_hands_its_command_a_formatter(name: str, command: Any) -> None:
    """No command reads a bare --json flag: it gets ``out``, chosen once by base.json_option."""
    for param in command.params:
        if "--json" in getattr(param, "opts", ()):
            assert param.name == "out", f"followup {name}: --json is not the formatter"
            ctx = click.Context(command)
            assert isinstance(param.process_value(ctx, True), JsonFormatter), name
            assert isinstance(param.process_value(ctx, False), TextFormatter), name
            assert isinstance(param.process_value(ctx, False), Formatter), name
