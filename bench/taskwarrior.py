"""Taskwarrior beside followup: the same actions due, as pending tasks, for ``task next``.

Taskwarrior 2.6 (Debian: ``apt-get install -y taskwarrior``) is what a careful job
seeker might use instead. Its ``next`` report computes every pending task's urgency
and shows a page of the most urgent: the yardstick issue 12 sets ``followup today``
against. Each action of a synthetic search due by the benchmark's day becomes one
pending task with that due date, its company as project.

``pending.data`` is written directly, one line a task in Taskwarrior 2.6's file format:
``task import`` takes minutes at 100,000 tasks and would dominate the run at 1,000,000.
The data and the ``taskrc`` live in a throwaway folder (``TASKDATA``/``TASKRC``), never
the user's own.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

from followup.domain.model import Action

INSTALL = "apt-get install -y taskwarrior"


def available() -> str | None:
    """The installed Taskwarrior's version, or None when ``task`` is not on the PATH."""
    if shutil.which("task") is None:
        return None
    done = subprocess.run(["task", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def write(folder: Path, actions: Iterable[Action], entry: datetime, seed: int = 7) -> int:
    """``folder`` as a Taskwarrior data folder of one pending task per action; the count."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    stamp = int(entry.timestamp())
    count = 0
    with (folder / "pending.data").open("w") as out:
        for action in actions:
            due = int(datetime.combine(action.due, time(12), UTC).timestamp())
            what = action.kind.value.replace("_", " ")
            out.write(
                f'[description:"{what}: {action.company} ({action.position})" due:"{due}" '
                f'entry:"{stamp}" modified:"{stamp}" project:"{_word(action.company)}" '
                f'status:"pending" uuid:"{uuid.UUID(int=rnd.getrandbits(128), version=4)}"]\n'
            )
            count += 1
    for name in ("completed.data", "undo.data", "backlog.data"):
        (folder / name).touch()
    (folder / "taskrc").write_text(rc(folder))
    return count


def rc(folder: Path) -> str:
    """A taskrc of defaults, but no questions, no first-run news, and no colour."""
    return f"data.location={folder}\nconfirmation=off\nnews.version=2.6.0\ncolor=off\nhooks=off\n"


def env(folder: Path) -> dict[str, str]:
    return {"TASKDATA": str(folder), "TASKRC": str(folder / "taskrc")}


def pending(folder: Path) -> int:
    """The tasks ``task`` itself counts as pending in ``folder`` (for the tests)."""
    done = subprocess.run(
        ["task", "rc.verbose=nothing", "status:pending", "count"],
        capture_output=True, text=True, check=True, env={**os.environ, **env(folder)},
    )  # fmt: skip
    return int(done.stdout.strip())


def _word(company: str | None) -> str:
    return (company or "none").replace(" ", "")


def due_by(actions: Iterable[Action], day: date) -> Iterable[Action]:
    return (a for a in actions if a.due <= day)
