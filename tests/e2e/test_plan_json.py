"""``plan --json`` exactly as FORMAT.md says: keys, order, values (a public contract)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.cli import User
from tests.integration.test_import_export import SAMPLE

KEYS = ["id", "kind", "application", "company", "position", "contact", "channel", "due", "window",
        "overdue", "rule", "reason", "script"]  # fmt: skip


def test_plan_json_is_pinned(tmp_path: Path) -> None:
    source = json.loads(json.dumps(SAMPLE))
    source["applications"][0]["touches"] = source["applications"][0]["touches"][:1]
    (tmp_path / "in.json").write_text(json.dumps(source))
    user = User(tmp_path / "p.db")
    user.run("import", str(tmp_path / "in.json"))
    plan = user.json("plan", "--now", "2026-03-09T08:00:00+00:00", "--horizon", "10")
    assert list(plan) == ["now", "today", "actions"]
    assert plan["now"] == "2026-03-09T08:00:00+00:00"
    assert plan["today"] == "2026-03-09"
    for action in plan["actions"]:
        assert list(action) == KEYS
    status, more = plan["actions"][1], plan["actions"][0]
    assert more == {
        "id": "apply_more:2026-03-09", "kind": "apply_more", "application": None, "company": None,
        "position": None, "contact": None, "channel": None, "due": "2026-03-09", "window": None,
        "overdue": False, "rule": "R9", "reason": more["reason"], "script": [],
    }  # fmt: skip
    assert {k: v for k, v in status.items() if k not in ("reason", "script")} == {
        "id": "status:acme-backend", "kind": "status_call", "application": "acme-backend",
        "company": "Acme", "position": "Backend Engineer", "contact": "ana", "channel": "phone",
        "due": "2026-03-17", "window": {"start": "10:00", "end": "12:00"}, "overdue": False,
        "rule": "R11",
    }  # fmt: skip
    assert status["reason"].startswith("Call Ana Sousa: they promised an answer by Thu 12 Mar 2026")
    assert status["script"][0] == "Ask for Ana Sousa."
    assert len(plan["actions"]) == 2


def test_overdue_and_horizon(tmp_path: Path) -> None:
    (tmp_path / "in.json").write_text(json.dumps(SAMPLE))
    user = User(tmp_path / "p.db")
    user.run("import", str(tmp_path / "in.json"))
    today_only = user.json("plan", "--now", "2026-03-25T08:00:00+00:00")
    (status,) = [a for a in today_only["actions"] if a["application"]]
    assert (status["due"], status["overdue"], status["rule"]) == ("2026-03-24", True, "R11")
    early = user.json("plan", "--now", "2026-03-14T08:00:00+00:00")
    assert [a["kind"] for a in early["actions"]] == ["apply_more"]
    later = user.json("plan", "--now", "2026-03-14T08:00:00+00:00", "--horizon", "10")
    assert [a["kind"] for a in later["actions"]] == ["apply_more", "status_call"]
