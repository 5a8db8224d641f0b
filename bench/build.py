"""The benchmark's databases and Taskwarrior folders, generated once and kept in ``bench/data``.

Every database is made through ``followup import`` (FORMAT.md's followup/1 files), so it
holds what a user's import would, whatever the store's tables look like this week. Up to
:data:`IMPORT_LIMIT` applications it is one file, whose import is also a figure; above,
the same generator's applications are written and imported in files of :data:`BATCH`
(whole companies each: they come in contiguous runs), one at a time, so 1,000,000
applications never need a 1.5 GB file nor its memory. Import adds to what is there
(records with new ids are added), so the batches make one search.

A database is kept under a name made of the shape, the size, :data:`GENERATOR` and the
list of the store's migrations: after a change to ``synthetic.py`` (bump GENERATOR) or a
new migration, it is generated again rather than migrated in the middle of a timing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import taskwarrior
from bench.measure import Run, measured
from bench.synthetic import NOW, applications, is_active
from followup.domain.model import Action, Application

HERE = Path(__file__).parent
DATA = HERE / "data"
FOLLOWUP = str(Path(sys.executable).parent / "followup")
NOW_ARG = f"--now={NOW.isoformat()}"
GENERATOR = "6"  # bump when synthetic.py or taskwarrior.py change what they make
IMPORT_LIMIT = 100_000
BATCH = 100_000
MIGRATIONS = HERE.parent / "src" / "followup" / "adapters" / "sqlite" / "migrations"


@dataclass(frozen=True)
class Built:
    db: Path
    tasks: Path
    active: int
    due: int  #: actions due by the benchmark's day: as many pending tasks in ``tasks``
    generation_s: float  #: writing the files and importing them, when the database was made
    batches: int  #: followup imports it took (1 up to IMPORT_LIMIT)


def schema() -> str:
    names = sorted(p.name for p in MIGRATIONS.iterdir() if p.suffix in (".sql", ".py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:8]


def build(shape: str, n: int) -> tuple[Built, Run | None]:
    """The database and Taskwarrior folder of ``n`` applications of ``shape``.

    Also the import's :class:`Run` when the database was made by one import just now.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    key = f"{shape}-{n}-g{GENERATOR}-s{schema()}"
    db, meta = DATA / f"{key}.db", DATA / f"{key}.meta.json"
    made: Run | None = None
    if not (db.exists() and meta.exists()):
        for old in DATA.glob(f"{shape}-{n}-g*"):
            if old.is_file():
                old.unlink()
        partial = DATA / f"{key}.partial.db"
        partial.unlink(missing_ok=True)
        print(f"  generating {n:,} {shape} applications (once)...", file=sys.stderr)
        start = time.perf_counter()
        if n <= IMPORT_LIMIT:
            made = measured(import_argv(partial, source(shape, n)), memory=True)
            batches = 1
        else:
            batches = _import_in_batches(shape, n, partial)
        partial.rename(db)
        seconds = time.perf_counter() - start
        meta.write_text(json.dumps({"generation_s": round(seconds, 1), "batches": batches}))
    stored = json.loads(meta.read_text())
    _planned_by_this_followup(db, meta, stored)
    tasks, due = _tasks(shape, n)
    active = sum(is_active(n, i, shape) for i in range(n))
    return Built(db, tasks, active, due, stored["generation_s"], stored["batches"]), made


def _planned_by_this_followup(db: Path, meta: Path, stored: dict[str, Any]) -> None:
    """Bring a kept database's stored plan to this followup's planner, once.

    A new planner version re-plans every application at the first command after an
    upgrade (a user pays it once); left in the kept copy, every measured command of
    every run would pay it again and measure the upgrade, not the command.
    """
    from followup.services.planning import PLANNER_VERSION

    if stored.get("planner") == PLANNER_VERSION:
        return
    print(f"  {db.name}: re-planned once by this followup's planner...", file=sys.stderr)
    subprocess.run([FOLLOWUP, "--db", str(db), "today", NOW_ARG], check=True, capture_output=True)
    stored["planner"] = PLANNER_VERSION
    meta.write_text(json.dumps(stored))


def import_argv(db: Path, path: Path) -> list[str]:
    return [FOLLOWUP, "--db", str(db), "import", str(path), NOW_ARG]


def source(shape: str, n: int) -> Path:
    """The followup/1 file of ``n`` applications of ``shape`` (kept, for the import figure)."""
    path = DATA / f"{shape}-{n}-g{GENERATOR}.source.json"
    if not path.exists():
        _write(path.with_suffix(".partial"), applications(n, shape=shape)).rename(path)
    return path


def _import_in_batches(shape: str, n: int, db: Path) -> int:
    apps = applications(n, shape=shape)
    batches = done = 0
    while batch := list(itertools.islice(apps, BATCH)):
        path = _write(DATA / f"{shape}-{n}-batch.json", iter(batch))
        run = measured(import_argv(db, path), memory=True)
        path.unlink()
        batches, done = batches + 1, done + len(batch)
        print(
            f"    imported {done:,} of {n:,} ({run.seconds:.0f} s, {run.peak_mb or 0:.0f} MB)",
            file=sys.stderr,
        )
    return batches


def _write(path: Path, apps: Iterator[Application]) -> Path:
    """A followup/1 file written one application at a time (never the whole in memory)."""
    from followup.domain.settings import Settings
    from followup.formats.interchange import write

    settings = Settings("Europe/Lisbon", "PT")
    with path.open("w") as out:
        head = write(settings, [])
        del head["applications"]
        out.write(json.dumps(head)[:-1] + ', "applications": [\n')
        for i, app in enumerate(apps):
            out.write(",\n" if i else "")
            out.write(json.dumps(write(settings, [app])["applications"][0]))
        out.write("\n]}\n")
    return path


def document(n: int, shape: str = "history") -> dict[str, Any]:
    """The whole followup/1 document of ``n`` applications (small sizes: the tests)."""
    from followup.domain.settings import Settings
    from followup.formats.interchange import write

    return write(Settings("Europe/Lisbon", "PT"), list(applications(n, shape=shape)))


def _tasks(shape: str, n: int) -> tuple[Path, int]:
    """The Taskwarrior folder of the actions due of this search, and how many there are."""
    folder = DATA / f"tasks-{shape}-{n}-g{GENERATOR}"
    count = folder / "count"
    if not count.exists():
        shutil.rmtree(folder, ignore_errors=True)
        written = taskwarrior.write(folder, due_actions(shape, n), NOW)
        count.write_text(str(written))
    return folder, int(count.read_text())


def due_actions(shape: str, n: int, chunk: int = 50_000) -> Iterator[Action]:
    """The actions due by the benchmark's day, planned a chunk of whole companies at a time.

    ``apply_more`` is about the whole search, not one company: given once.
    """
    from zoneinfo import ZoneInfo

    from followup.adapters.holidays import HolidaysPackage
    from followup.domain.calendar import Calendar
    from followup.domain.planner import plan
    from followup.domain.policy import Policy

    cal = Calendar(ZoneInfo("Europe/Lisbon"), HolidaysPackage()("PT"))
    today = cal.local_date(NOW)
    apps = applications(n, shape=shape)
    seen: set[str] = set()
    while batch := list(itertools.islice(apps, chunk)):
        for action in plan(batch, Policy(), NOW, cal):
            if action.due > today or action.id in seen:
                continue
            if action.application is None:
                seen.add(action.id)
            yield action


def describe(built: Built) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(built).items()}
