"""The benchmark's searches have the shapes its tables claim (issue 12), at a tiny size.

Counts only, never timings: the applications active in each shape, the actions due, as
many pending tasks in the Taskwarrior folder (counted by ``task`` itself when installed),
and a search imported in batches the same as imported at once, as ``followup`` plans it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bench import build, taskwarrior
from bench.synthetic import NOW, SHAPES, applications, is_active
from bench.web import parse_wrk

from followup.domain.model import Status

N = 200


@pytest.mark.parametrize(("shape", "active"), [("history", 40), ("backlog", 160)])
def test_each_shape_has_the_active_applications_it_claims(shape: str, active: int) -> None:
    apps = list(applications(N, shape=shape))
    assert len(apps) == N
    assert len({a.id for a in apps}) == N
    made_active = [a.id for a in apps if a.status is Status.ACTIVE]
    assert len(made_active) == active
    assert made_active == [f"app{i:07d}" for i in range(N) if is_active(N, i, shape)]


def test_the_backlog_has_about_one_and_a_half_actions_due_per_application() -> None:
    due = list(build.due_actions("backlog", N))
    assert 1.3 * N <= len(due) <= 1.7 * N
    assert len(list(build.due_actions("history", N))) < 20  # few, whatever the size


def test_an_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown shape"):
        next(applications(1, shape="tidy"))


@pytest.mark.parametrize("shape", SHAPES)
def test_the_taskwarrior_folder_holds_one_pending_task_per_action_due(
    shape: str, tmp_path: Path
) -> None:
    due = list(build.due_actions(shape, N))
    written = taskwarrior.write(tmp_path, iter(due), NOW)
    assert written == len(due)
    assert len((tmp_path / "pending.data").read_text().splitlines()) == len(due)
    if taskwarrior.available() is None:
        pytest.skip(f"Taskwarrior not installed ({taskwarrior.INSTALL})")
    assert taskwarrior.pending(tmp_path) == len(due)


def _plan(db: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [build.FOLLOWUP, "--db", str(db), "plan", "--json", build.NOW_ARG],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    actions: list[dict[str, object]] = json.loads(done.stdout)["actions"]
    return actions


def test_a_search_imported_in_batches_is_the_one_imported_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build, "DATA", tmp_path)
    monkeypatch.setattr(build, "BATCH", 60)  # 200 applications: four imports
    at_once, batched = tmp_path / "once.db", tmp_path / "batched.db"
    path = build._write(tmp_path / "all.json", applications(N, shape="backlog"))
    subprocess.run(build.import_argv(at_once, path), check=True, capture_output=True)
    assert build._import_in_batches("backlog", N, batched) == 4
    planned = _plan(batched)
    assert planned == _plan(at_once)
    assert len(planned) == len(list(build.due_actions("backlog", N)))


def test_wrk_output_with_no_request_finished_gives_no_latency() -> None:
    """A page slower than wrk's run finishes nothing: wrk prints zeros, not a latency."""
    nothing = "  Latency Distribution\n     50%    0.00us\n     99%    0.00us\n"
    nothing += "  0 requests in 8.00s, 0.00B read\nRequests/sec:      0.00\n"
    assert parse_wrk(nothing) == {"rps": 0.0, "p50_ms": None, "p99_ms": None, "timeouts": 0.0}
    some = "     50%    2.30ms\n     99%    1.20s\n  4 requests in 8.00s, 1.00MB read\n"
    some += "  Socket errors: connect 0, read 0, write 0, timeout 2\nRequests/sec:      0.50\n"
    assert parse_wrk(some) == {"rps": 0.5, "p50_ms": 2.3, "p99_ms": 1200.0, "timeouts": 2.0}
