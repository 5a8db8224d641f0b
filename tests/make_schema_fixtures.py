"""Build ``tests/fixtures/schemas/schemaN.db``: a database made by the code of each past schema.

Run once per new schema (``.venv/bin/python -m tests.make_schema_fixtures``), then commit
the new file. Each database is made by the very code of the commit where schema N was the
latest (``git archive`` of its ``src``, run with this checkout's packages): the demo job
search plus one application added by hand. A database written by today's migrations
would not catch what the first release taught us: a migration edited after it shipped
leaves the databases of that time in a shape no current code makes.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
#: schema version -> the main-line commit where it was the latest migration.
COMMITS = {
    2: "5ebdfc1",  # the first release (0001 and 0002 as they first landed)
    3: "98da43f",
    4: "22e3577",
    5: "7fae07a",
    6: "7cefb9d",
    7: "e829482",
    8: "81b4c96",
    9: "fde27ec",
    10: "2554d51",
    11: "7e27e1f",  # issue 12: the stored plan's list columns (0012 landed with it)
}
#: Schema 1 never shipped alone: the first release already had 0002.


def build(version: int, commit: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    code = folder / f"code{version}"
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(code, filter="data")
    target = FIXTURES / f"schema{version}.db"
    target.unlink(missing_ok=True)
    run = [sys.executable, "-c", "from followup.entrypoints.cli import main; main()"]
    env = {"PYTHONPATH": str(code / "src"), "TZ": "Europe/Lisbon", "PATH": "/usr/bin:/bin"}
    for args in (["demo"], ["add", "Fixture Works", "Schema Tester", "--applied", "2026-03-02"]):
        subprocess.run(
            [*run, "--db", str(target), *args], check=True, env=env, cwd=folder, capture_output=True
        )
    return target


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    wanted = [int(a) for a in sys.argv[1:]] or sorted(COMMITS)
    with tempfile.TemporaryDirectory() as tmp:
        for v in wanted:
            print(f"schema {v}: {build(v, COMMITS[v], Path(tmp))}")
