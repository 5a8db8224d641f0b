"""The README's console transcripts, replayed: a change of output fails until the README says it.

Each ```` ```console ```` block of README.md holding ``$ followup ...`` lines is run (in the
manner of cog, as sqlite-utils checks its docs) against a fresh database, with the machine's
time zone set to Europe/Lisbon and the moment given by the HTML comment just before the block:

    <!-- replay: now=2026-03-02T09:00 -->                 the walk-through's database
    <!-- replay: now=2026-03-02T09:00 save=monday -->     ... and keep a copy of it as it is after
    <!-- replay: now=2026-03-02T09:00 from=monday -->     a copy kept earlier, not the walk-through
    <!-- replay: skip (why) -->                           not replayed, and the README says why

A command that asks is answered with what the block shows after the question, so the block is
both the script and the expected screen. ``FOLLOWUP_UPDATE_README=1`` writes what the commands
print now into README.md instead of comparing (then read the diff before committing it).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from followup.entrypoints.cli.base import NO_TERMINAL, Env
from tests.e2e.cli import User

README = Path(__file__).resolve().parents[2] / "README.md"
UPDATE = os.environ.get("FOLLOWUP_UPDATE_README") == "1"

#: Files the transcripts read, as they are in the folder where the commands ran.
FILES = {
    "ad.txt": "Backend Engineer, Lisbon\nPython, SQL, and a taste for tidy data.\n",
    "search.csv": (
        "Company,Position,Date applied,Status,Link,Notes\n"
        "Acme,Backend Engineer,20/02/2026,Interviewing,https://acme.example/jobs/42,\n"
        "Globex,Data Engineer,23/02/2026,Applied,https://globex.example/careers/7,referred by Rui\n"
        "Initech,Platform Engineer,,Wishlist,https://initech.example/jobs/3,\n"
        'Umbrella,SRE,25/02/2026,Ghosted,,"two calls, no answer"\n'
    ),
}

BLOCK = re.compile(
    r"(?:<!-- replay: (?P<directive>[^>]*?) -->\n)?```console\n(?P<body>.*?)```", re.DOTALL
)


@dataclass
class Step:
    """One ``$ followup ...`` line and what it printed."""

    line: str
    expected: str

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.line.removeprefix("$ followup"), comments=True)


@dataclass
class Block:
    directive: str | None
    steps: list[Step]
    start: int
    end: int

    def option(self, name: str) -> str | None:
        for word in (self.directive or "").split():
            key, _, value = word.partition("=")
            if key == name:
                return value
        return None


def blocks(text: str) -> list[Block]:
    """The console blocks that run followup, in the README's order."""
    found = []
    for m in BLOCK.finditer(text):
        steps: list[Step] = []
        for line in m["body"].splitlines():
            if line.startswith("$ "):
                steps.append(Step(line, ""))
            elif steps:
                steps[-1].expected += line + "\n"
        steps = [Step(s.line, s.expected.rstrip("\n")) for s in steps]
        if any(s.line.startswith("$ followup ") for s in steps):
            found.append(Block(m["directive"], steps, m.start("body"), m.end("body")))
    return found


def answer(prompt: str, expected: str, line: str) -> str:
    """What the transcript typed at ``prompt``: the rest of the line the prompt starts."""
    for shown in expected.splitlines():
        if prompt and shown.startswith(prompt):
            return shown[len(prompt) :]
    pytest.fail(f"{line!r} asked {prompt!r}, which the README does not show answered")


def run(user: User, step: Step) -> str:
    """Run one command as at a terminal, answering each question as the transcript does.

    The command is run again with one more answer each time it stops at a question (end of
    input: nothing was written, and the database is put back anyway to be sure).
    """
    answers: list[str] = []
    kept = user.db.with_suffix(".before")
    if user.db.exists():
        shutil.copy(user.db, kept)
    while True:
        typed = "".join(a + "\n" for a in answers)
        result = user.run(*step.argv, input=typed, ok=False)
        if NO_TERMINAL not in result.stderr:  # the input ended at a question (exit 8)
            break
        if kept.exists():
            shutil.copy(kept, user.db)
        asked = result.stdout.rsplit("\n", 1)[-1]
        answers.append(answer(asked, step.expected, step.line))
        if len(answers) > 20:
            pytest.fail(f"{step.line!r} keeps asking")
    assert result.exit_code == 0, (step.line, result.output)
    return result.output.rstrip("\n")


def transcript(block: Block, printed: list[str]) -> str:
    parts = [
        f"{step.line}\n{out}".rstrip("\n") for step, out in zip(block.steps, printed, strict=True)
    ]
    return "\n\n".join(parts) + "\n"


def test_every_transcript_says_how_it_is_replayed() -> None:
    """A new console block must say its moment (or why it is not replayed)."""
    for block in blocks(README.read_text(encoding="utf-8")):
        assert block.directive is not None, f"no <!-- replay: ... --> before {block.steps[0].line}"
        assert block.option("now") or block.directive.startswith("skip ("), block.directive


def test_the_readme_shows_what_the_commands_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Lisbon")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Env, "interactive", property(lambda self: True))
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")

    text = README.read_text(encoding="utf-8")
    replayed = [b for b in blocks(text) if b.option("now")]
    assert len(replayed) >= 6  # the walk-through and the corrections, at least
    saved: dict[str, Path] = {}
    outputs: list[tuple[Block, list[str]]] = []
    for block in replayed:
        db = tmp_path / "walk.db"
        if source := block.option("from"):
            db = tmp_path / f"{source}-copy.db"
            shutil.copy(saved[source], db)
        user = User(db, now=block.option("now"))
        printed = [run(user, step) for step in block.steps]
        if keep := block.option("save"):
            saved[keep] = tmp_path / f"{keep}.db"
            shutil.copy(db, saved[keep])
        outputs.append((block, printed))

    new = text
    for block, printed in reversed(outputs):  # from the end: earlier offsets stay right
        new = new[: block.start] + transcript(block, printed) + new[block.end :]
    if UPDATE:
        README.write_text(new, encoding="utf-8")
        return
    for block, printed in outputs:
        for step, out in zip(block.steps, printed, strict=True):
            assert out == step.expected, (
                f"README.md: {step.line!r} prints something else now "
                "(FOLLOWUP_UPDATE_README=1 rewrites the README's blocks)"
            )
