"""The output of a command, chosen once by ``--json``: commands hand over what they have.

Every command that prints data used to ask ``if as_json: ...; return`` itself. Now the
``--json`` option gives it a formatter (as todoman's ``--porcelain`` does): a
:class:`JsonFormatter` for scripts or a :class:`TextFormatter` for people. A command hands it
the JSON of its result and how to print it as text; only the chosen one is built.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

import click

#: A command's result as JSON: the value, or how to build it (built only when JSON is wanted).
Data = Any | Callable[[], Any]
#: How to print the same result for a person.
Text = Callable[[], object]


class Formatter(ABC):
    """Where a command's result goes: JSON for a script, or words for a person."""

    #: Whether a person reads the output. Only then does a command show a preview and ask
    #: before it writes: a script reading JSON gets no questions and no text to parse around.
    for_people: bool

    @abstractmethod
    def show(self, data: Data, text: Text) -> None:
        """Print the result: ``data`` as JSON, or ``text()``."""


class JsonFormatter(Formatter):
    """One JSON document on stdout (stable, for scripts); text is never built."""

    for_people = False

    def show(self, data: Data, text: Text) -> None:
        emit_json(data() if callable(data) else data)


class TextFormatter(Formatter):
    """Words, tables and the next steps for a person; the JSON is never built."""

    for_people = True

    def show(self, data: Data, text: Text) -> None:
        text()


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def choose(as_json: bool) -> Formatter:
    """The formatter ``--json`` asks for."""
    return JsonFormatter() if as_json else TextFormatter()
