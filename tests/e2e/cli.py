"""Running the real command line in-process, as a user would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from followup.entrypoints.cli import cli

#: Commands that do not depend on the date.
WITHOUT_NOW = {"export", "doctor"}


@dataclass
class User:
    """A user at a terminal with one database; ``now`` moves the clock for every command."""

    db: Path
    now: str | None = None
    runner: CliRunner = field(default_factory=CliRunner)

    def run(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        argv = ["--db", str(self.db), *args]
        given = any(a.startswith("--now") for a in args)
        if self.now and not given and args[0] not in WITHOUT_NOW and args[:2] != ("config", "show"):
            argv.append(f"--now={self.now}")
        result = self.runner.invoke(cli, argv, input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        return json.loads(self.run(*args, "--json", input=input).stdout)
