"""An import whose file is read and checked in a second process (issue 12): the same
records, plan, history and refusals as an import read in one process, and no process
left behind."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from followup import bootstrap
from followup.adapters import read_ahead as ahead
from followup.adapters.read_ahead import ReadAhead
from followup.entrypoints.cli.data import READ_AHEAD_BYTES
from followup.errors import InvalidFile
from followup.formats.stream import Opener
from followup.services import interchange
from followup.services.session import Deps
from tests.integration.test_import_stream import app

NOW = "2026-03-10T10:00:00+00:00"
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def opener(data: bytes) -> Opener:
    return lambda: io.BytesIO(data)


def document(apps: list[dict[str, Any]], **settings: Any) -> bytes:
    frame = {"format": "followup/1", "settings": settings or None, "applications": apps}
    return json.dumps(frame).encode()


def busy(i: int) -> dict[str, Any]:
    """An application with people, an interview, touches (one without an id), a dismissal."""
    people = [
        {"id": "ana", "name": f"Ana {i}", "role": "interviewer", "email": f"ana{i}@acme.example",
         "phone": f"+351 912 {i % 1000:03d} 678"},
        {"id": "hr", "name": "Recruiter", "role": "hr", "email": f"JOBS@c{i % 7}.example"},
    ]  # fmt: skip
    touches = [
        {"id": "t1", "at": "2026-02-21T10:00:00+00:00", "contact": "ana", "channel": "email",
         "purpose": "thank_you", "outcome": "sent"},
        {"at": "2026-03-02T10:00:00+00:00", "contact": "hr", "channel": "phone",
         "purpose": "status", "outcome": "no_answer"},
    ]  # fmt: skip
    return app(
        i,
        company=f"Company {i % 7}",
        applied_on="2026-02-02",
        contacts=people,
        interviews=[{"id": "iv1", "at": "2026-02-20T10:00:00+00:00", "interviewers": ["ana"]}],
        touches=touches,
        dismissed=[f"debrief:app{i}:iv1"] if i % 3 == 0 else [],
    )


def tables(db: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(db)
    try:
        found = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("application", "contact", "interview", "interviewer", "touch",
                          "dismissal", "planned_action", "plan_application")
        }  # fmt: skip
        found["history"] = conn.execute("SELECT summary, records FROM history").fetchall()
        return found
    finally:
        conn.close()


def both(tmp_path: Path, data: bytes) -> tuple[Deps, Deps]:
    """An import of ``data`` in one process and one read ahead, each into its own database
    (with one application already stored, to be merged)."""
    done = []
    for name, read_ahead in (("one", None), ("two", ReadAhead)):
        deps = bootstrap.build(str(tmp_path / f"{name}.db"))
        interchange.import_file(deps, opener(document([busy(1)])), now=_now())
        interchange.import_file(deps, opener(data), now=_now(), read_ahead=read_ahead)
        done.append(deps)
    return done[0], done[1]


def _now() -> Any:
    from datetime import datetime  # noqa: PLC0415

    return datetime.fromisoformat(NOW)


def test_the_same_records_plan_and_history_as_in_one_process(tmp_path: Path) -> None:
    apps = [busy(i) for i in range(1_203)]  # more than one batch of each side
    apps[1]["notes"] = "changed since"  # merged into the stored one
    one, two = both(tmp_path, document(apps, country="PT", timezone="Europe/Lisbon"))
    assert interchange.export_data(one) == interchange.export_data(two)
    assert tables(tmp_path / "one.db") == tables(tmp_path / "two.db")
    assert len(interchange.export_data(two)["applications"]) == 1_203


def test_an_undo_of_an_import_read_ahead_takes_it_back(tmp_path: Path) -> None:
    from followup.services import history  # noqa: PLC0415

    deps = bootstrap.build(str(tmp_path / "undo.db"))
    data = document([busy(i) for i in range(600)])
    interchange.import_file(deps, opener(data), now=_now(), read_ahead=ReadAhead)
    history.undo(deps, now=_now())  # the fingerprints made in the child match the records
    assert interchange.export_data(deps)["applications"] == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (document([app(0), app(1, status="lost")]), r"^applications\[1\]\.status: 'lost'"),
        (document([app(0), app(0)]), r"^applications\[1\]\.id: duplicate application id"),
        (document([app(0)], country="XX"), r"^settings\.country: no holiday calendar"),
        (b'{"format": "followup/1",\n\n "applications": [{"id": tr}]}', "line 3, column 28"),
        (b'{"format": "followup/1", "applications": [], "x": "\xc3"}', "not UTF-8 at byte 51"),
        (b"[]", "^file: not an object"),
    ],
)
def test_a_refusal_is_the_same_and_writes_nothing(
    tmp_path: Path, data: bytes, message: str
) -> None:
    deps = bootstrap.build(str(tmp_path / "refused.db"))
    with pytest.raises(InvalidFile, match=message) as in_one:
        interchange.import_file(deps, opener(data))
    with pytest.raises(InvalidFile) as read_ahead:
        interchange.import_file(deps, opener(data), read_ahead=ReadAhead)
    assert str(read_ahead.value) == str(in_one.value)
    assert interchange.export_data(deps)["applications"] == []


def test_settings_after_the_applications_still_apply_to_them(tmp_path: Path) -> None:
    deps = bootstrap.build(str(tmp_path / "late.db"))
    contact = {"id": "ana", "name": "Ana", "role": "hr", "phone": "912 345 678"}
    late = {"applications": [app(0, contacts=[contact])], "settings": {"country": "PT"}}
    data = json.dumps({**late, "format": "followup/1"}).encode()
    interchange.import_file(deps, opener(data), read_ahead=ReadAhead)
    (imported,) = interchange.export_data(deps)["applications"]
    assert imported["contacts"][0]["phone"] == "+351 912 345 678"


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_closing_early_ends_the_reading_process(tmp_path: Path) -> None:
    deps = bootstrap.build(str(tmp_path / "early.db"))
    checks = interchange.checks(deps, None)
    data = document([busy(i) for i in range(5_000)])  # more than the pipe holds
    reading = ReadAhead(opener(data), checks, interchange.fingerprint_of)
    pid = reading._pid
    assert pid is not None
    assert not gone(pid)
    first = next(iter(reading))
    assert first[0].id == "app0"
    assert first[2] is not None
    reading.close()
    assert gone(pid)  # stopped and waited for: no zombie either


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_the_pipe_holds_a_merge_batch_ahead(tmp_path: Path) -> None:
    """Linux's default 64 KiB pipe held less than one pickled batch: the child waited
    while the parent merged, and the two processes' work overlapped by half (issue 12)."""
    import fcntl  # noqa: PLC0415

    deps = bootstrap.build(str(tmp_path / "wide.db"))
    checks = interchange.checks(deps, None)
    with ReadAhead(opener(document([busy(0)])), checks, interchange.fingerprint_of) as reading:
        capacity = fcntl.fcntl(reading._pipe.fileno(), fcntl.F_GETPIPE_SZ)
        assert [a.id for a, _, _ in reading] == ["app0"]
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert capacity == min(ahead.PIPE_BYTES, max(limit, 1 << 16))
    assert ahead.PIPE_BYTES >= 4 * ahead.BATCH * 436  # 436 bytes: the history shape


def test_a_refusal_late_in_the_file_ends_the_reading_process(tmp_path: Path) -> None:
    deps = bootstrap.build(str(tmp_path / "fails.db"))
    started: list[ReadAhead] = []

    def recorded(*args: Any) -> ReadAhead:
        started.append(ReadAhead(*args))
        return started[-1]

    apps = [busy(i) for i in range(3_000)]
    apps[2_500]["company"] = 7  # refused by the child, long after the parent began
    with pytest.raises(InvalidFile, match=r"^applications\[2500\]\.company: not a string"):
        interchange.import_file(deps, opener(document(apps)), read_ahead=recorded)
    assert started[0]._pid is None
    assert interchange.export_data(deps)["applications"] == []


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    followup = str(Path(sys.executable).parent / "followup")
    argv = [followup, "--db", str(db), *args]
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)


def write(path: Path, apps: Callable[[int], dict[str, Any]], n: int) -> Path:
    path.write_bytes(document([apps(i) for i in range(n)]))
    assert path.stat().st_size >= READ_AHEAD_BYTES  # the command reads it ahead
    return path


def test_the_command_reads_a_large_file_ahead_and_refuses_it_in_one_line(tmp_path: Path) -> None:
    def lost_last(i: int) -> dict[str, Any]:
        return busy(i) if i < 599 else {**busy(i), "status": "lost"}

    db = tmp_path / "cli.db"
    refused = run(db, "import", str(write(tmp_path / "bad.json", lost_last, 600)), f"--now={NOW}")
    assert refused.returncode == 5, refused.stderr
    assert refused.stderr.count("\n") == 1
    assert "applications[599].status: 'lost' is not one of" in refused.stderr
    done = run(db, "import", str(write(tmp_path / "good.json", busy, 600)), f"--now={NOW}")
    assert done.returncode == 0, done.stderr
    assert "600 new, 0 updated, 0 unchanged" in done.stdout
    assert run(db, "doctor").returncode == 0


def started_child(data: bytes, deps: Deps) -> tuple[ReadAhead, int | None, int | None]:
    """A read ahead of ``data``: the child's pid before and after the frame was settled."""
    reading = ReadAhead(opener(data), interchange.checks(deps, None), interchange.fingerprint_of)
    before = reading._pid
    reading.settings  # noqa: B018 - settles the frame
    return reading, before, reading._pid


def test_the_child_starts_on_the_applications_with_the_frame_it_read_first(
    tmp_path: Path,
) -> None:
    """A file as ``export`` writes it: the child's guess is the whole frame, and stays."""
    deps = bootstrap.build(str(tmp_path / "guess.db"))
    data = document([busy(i) for i in range(3)], country="PT")
    reading, before, after = started_child(data, deps)
    with reading:
        assert before == after
        assert reading.settings.country == "PT"
        assert [a.id for a, _, _ in reading] == ["app0", "app1", "app2"]


def test_settings_given_again_after_the_applications_start_the_child_again(
    tmp_path: Path,
) -> None:
    """The last ``settings`` is the file's (as JSON parsers keep the last of a key): the
    child guessed the first, so it reads the applications again with the last."""
    contact = {"id": "ana", "name": "Ana", "role": "hr", "phone": "912 345 678"}
    apps = json.dumps([app(0, contacts=[contact])])
    data = (
        '{"format": "followup/1", "settings": {"country": "ES"}, '
        f'"applications": {apps}, "settings": {{"country": "PT"}}}}'
    ).encode()
    deps = bootstrap.build(str(tmp_path / "again.db"))
    reading, before, after = started_child(data, deps)
    reading.close()
    assert before != after
    interchange.import_file(deps, opener(data), read_ahead=ReadAhead)
    (imported,) = interchange.export_data(deps)["applications"]
    assert imported["contacts"][0]["phone"] == "+351 912 345 678"  # PT's, not ES's
    one = bootstrap.build(str(tmp_path / "one.db"))
    interchange.import_file(one, opener(data))
    assert interchange.export_data(one) == interchange.export_data(deps)


@pytest.mark.parametrize(
    "data",
    [
        # The format after the applications: the start is no frame (the child reads it whole).
        b'{"applications": [{"id": "a1", "company": "Acme", "position": "Dev"}],'
        b' "format": "followup/1", "settings": {"country": "PT"}}',
        # A start refused (true is no number of days), the whole frame is not (the last wins).
        b'{"format": "followup/1", "settings": {"policy": {"thank_you_delay_days": true}},'
        b' "applications": [{"id": "a1", "company": "Acme", "position": "Dev"}],'
        b' "settings": {"policy": {"thank_you_delay_days": 3}}}',
    ],
)
def test_a_frame_unlike_its_start_imports_as_in_one_process(tmp_path: Path, data: bytes) -> None:
    done = []
    for name, read_ahead in (("one", None), ("two", ReadAhead)):
        deps = bootstrap.build(str(tmp_path / f"{name}.db"))
        interchange.import_file(deps, opener(data), now=_now(), read_ahead=read_ahead)
        done.append(interchange.export_data(deps))
    assert done[0] == done[1]
    assert [a["id"] for a in done[1]["applications"]] == ["a1"]


def test_frames_are_the_same_to_the_type() -> None:
    assert ahead._same({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert not ahead._same({"a": 1}, {"a": True})
    assert not ahead._same({"a": 1}, {"a": 1.0})
    assert not ahead._same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # the order a dict was read in
    assert not ahead._same([1], [1, 2])


def test_two_readers_by_position_do_not_move_each_other(tmp_path: Path) -> None:
    from followup.formats.stream import positional  # noqa: PLC0415

    path = tmp_path / "file.json"
    path.write_bytes(bytes(range(256)) * 64)
    with path.open("rb") as file:
        again = positional(file)
        first, second = again(), again()
        assert first.read(100) == second.read(10) + second.read(90)
        file.seek(5000)  # the file's own offset is no reader's place
        assert first.read(10) == second.read(10) == bytes(range(100, 110))
    read, write = os.pipe()
    # A pipe cannot be read twice: as rereadable, refused at the first opening.
    with (
        os.fdopen(write, "wb"),
        os.fdopen(read, "rb") as pipe,
        pytest.raises(io.UnsupportedOperation),
    ):
        positional(pipe)()
