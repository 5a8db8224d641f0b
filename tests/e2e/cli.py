"""Running the real command line in-process, as a user would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from followup.entrypoints.cli import cli

#: The id ``followup add Acme "Backend Engineer"`` gives.
APP = "acme-backend-engineer"
#: Commands that do not depend on the date (``outbox`` alone lists; its subcommands do).
WITHOUT_NOW = {"export", "doctor", "mail"}
#: Subcommands that do not depend on the date either.
WITHOUT_NOW_SUB = {("feed", "off")}


@dataclass
class User:
    """A user at a terminal with one database; ``now`` moves the clock for every command."""

    db: Path
    now: str | None = None
    runner: CliRunner = field(default_factory=CliRunner)

    def run(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        argv = ["--db", str(self.db), *args]
        given = (
            any(a.startswith("--now") for a in args)
            or (args[:1] == ("outbox",) and (len(args) == 1 or args[1].startswith("-")))
            or args[:2] in WITHOUT_NOW_SUB
            or args == ("feed",)
        )
        if self.now and not given and args[0] not in WITHOUT_NOW and args[:2] != ("config", "show"):
            argv.append(f"--now={self.now}")
        result = self.runner.invoke(cli, argv, input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        return json.loads(self.run(*args, "--json", input=input).stdout)


def interviewed(db: Path, now: str, interview: str = "2026-03-02 10:00", *details: str) -> User:
    """A user with one application at Acme and a past interview with Ana Sousa, debriefed.

    ``details`` are Ana's contact options (default: a phone number).
    """
    user = User(db, now=now)
    user.run("add", "Acme", "Backend Engineer")
    contact = details or ("--phone", "+351 912 345 678")
    user.run("contact", "add", APP, "Ana Sousa", *contact, "--confirmed")
    user.run("interview", APP, interview, "--with", "ana-sousa",
             "--every-applicant", "yes", "--direct", "yes")  # fmt: skip
    return user
