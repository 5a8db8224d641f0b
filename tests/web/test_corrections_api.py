"""Corrections, history and undo through the JSON API (issue 8), on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web_support import Site, site, token

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path) -> Site:
    return site(tmp_path, NOW)


def h(c: TestClient) -> dict[str, str]:
    return {"x-csrf-token": token(c)}


def acme(c: TestClient) -> dict[str, Any]:
    """Acme: one application with a contact, an interview and a call."""
    headers = h(c)
    app = c.post(
        "/api/applications",
        json={"company": "Acme", "position": "Dev", "link": "https://acme.example/job",
              "posting": "We build rockets.\nApply now."},
        headers=headers,
    )  # fmt: skip
    assert app.status_code == 201, app.text
    c.post(
        "/api/applications/acme-dev/contacts", json={"name": "Ana", "id": "ana"}, headers=headers
    )
    iv = c.post(
        "/api/applications/acme-dev/interviews",
        json={"at": "2026-03-03T10:00:00+00:00", "interviewers": ["ana"]},
        headers=headers,
    )
    assert iv.status_code == 201, iv.text
    touch = c.post(
        "/api/applications/acme-dev/touches",
        json={"outcome": "no_answer", "channel": "phone", "contact": "ana",
              "at": "2026-03-02T09:00:00+00:00", "notes": "rang twice"},
        headers=headers,
    )  # fmt: skip
    assert touch.status_code == 201, touch.text
    assert touch.json()["touch"]["notes"] == "rang twice"
    body: dict[str, Any] = app.json()
    return body


def test_every_change_names_its_history_entry(web: Site) -> None:
    with web.client() as c:
        app = acme(c)
        assert app["posting"] == "We build rockets.\nApply now."
        assert app["change"] == 1
        entries = c.get("/api/history").json()["entries"]
        assert [e["id"] for e in entries] == [4, 3, 2, 1]
        assert entries[-1]["summary"] == "added acme-dev (Acme, Dev)"
        assert entries[0]["undoable"] is True
        same = c.post("/api/applications/acme-dev/status", json={"status": "active"}, headers=h(c))
        assert same.json()["change"] is None  # nothing changed: nothing to undo


def test_patch_an_application_keeps_what_is_not_given(web: Site) -> None:
    with web.client() as c:
        acme(c)
        patched = c.patch(
            "/api/applications/acme-dev",
            json={"company": "Acme Corp", "link": None, "notes": "met at a fair"},
            headers=h(c),
        )
        assert patched.status_code == 200, patched.text
        body = patched.json()
        assert (body["company"], body["position"], body["link"]) == ("Acme Corp", "Dev", None)
        assert body["notes"] == "met at a fair"
        assert body["posting"] == "We build rockets.\nApply now."
        assert body["change"] == 5
        what = c.get("/api/history", params={"limit": 1}).json()["entries"][0]["changes"]
        assert what[0]["record"] == "acme-dev"
        assert any("Acme Corp" in phrase for phrase in what[0]["what"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("PATCH", "/api/applications/acme-dev", {"company": None}, 400, "company"),
        ("PATCH", "/api/applications/acme-dev", {"link": "ftp://x"}, 400, "link"),
        ("PATCH", "/api/applications/acme-dev", {"applied_on": "2300-01-01"}, 400, "applied_on"),
        ("PATCH", "/api/applications/acme-dev", {"notes": "x" * 10_001}, 422, "notes"),
        ("PATCH", "/api/applications/acme-dev", {"colour": "red"}, 422, "colour"),
        ("PATCH", "/api/applications/acme-dev/interviews/iv1", {"at": None}, 400, "at"),
        (
            "PATCH",
            "/api/applications/acme-dev/interviews/iv1",
            {"at": "2026-03-03T10:00:00"},
            422,
            "at",
        ),
        (
            "PATCH",
            "/api/applications/acme-dev/interviews/iv1",
            {"interviewers": ["nobody"]},
            404,
            "interviewers",
        ),
        ("PATCH", "/api/applications/acme-dev/touches/t1", {"outcome": "sent"}, 400, "outcome"),
        ("PATCH", "/api/applications/acme-dev/touches/t1", {"outcome": None}, 400, "outcome"),
        ("PATCH", "/api/applications/acme-dev/touches/t1", {"contact": "nobody"}, 404, "contact"),
        ("DELETE", "/api/applications/acme-dev/contacts/ana", None, 409, "contact"),
        ("PATCH", "/api/applications/nope", {"company": "X"}, 404, None),
        ("DELETE", "/api/applications/nope", None, 404, None),
        ("PATCH", "/api/applications/acme-dev/interviews/iv9", {"notes": "x"}, 404, None),
        ("DELETE", "/api/applications/acme-dev/interviews/iv9", None, 404, None),
        ("PATCH", "/api/applications/acme-dev/touches/t9", {"notes": "x"}, 404, "touch"),
        ("DELETE", "/api/applications/acme-dev/touches/t9", None, 404, "touch"),
        ("DELETE", "/api/applications/acme-dev/contacts/bob", None, 404, "contact"),
        ("POST", "/api/undo", {"entry": 99}, 404, None),
        ("POST", "/api/undo", {"entry": 2}, 409, None),
        ("POST", "/api/undo", {"entry": 0}, 422, "entry"),
        ("GET", "/api/companies/globex", None, 404, "company"),
        ("GET", "/api/history?limit=0", None, 422, "limit"),
        ("GET", f"/api/history?before={2**63}", None, 422, "before"),
        ("POST", "/api/undo", {"entry": 2**63}, 422, "entry"),
    ],
)
def test_bad_corrections_say_what_and_where_and_change_nothing(
    web: Site, method: str, path: str, body: object, status: int, field: str | None
) -> None:
    with web.client() as c:
        acme(c)
        before = web.snapshot()
        response = c.request(method, path, json=body, headers=h(c))
        assert response.status_code == status, response.text
        if status == 422:  # the body does not fit the schema: FastAPI names the field
            assert field in [part for e in response.json()["detail"] for part in e["loc"]]
        else:
            assert response.json()["error"]
            assert response.json()["field"] == field
        assert web.snapshot() == before


def test_a_duplicate_is_refused_naming_the_existing_one_unless_asked(web: Site) -> None:
    with web.client() as c:
        acme(c)
        again = c.post(
            "/api/applications", json={"company": " ACME ", "position": "dev"}, headers=h(c)
        )
        assert again.status_code == 409
        assert again.json()["existing"] == "acme-dev"
        assert "already" in again.json()["error"]
        anyway = c.post(
            "/api/applications",
            json={"company": "Acme", "position": "Dev", "duplicate_ok": True},
            headers=h(c),
        )
        assert anyway.status_code == 201
        assert anyway.json()["id"] != "acme-dev"


def test_reschedule_cancel_and_delete_an_interview(web: Site) -> None:
    with web.client() as c:
        acme(c)
        url = "/api/applications/acme-dev/interviews/iv1"
        moved = c.patch(
            url, json={"at": "2026-03-04T15:00:00+01:00", "notes": "bring the portfolio"},
            headers=h(c),
        )  # fmt: skip
        assert moved.status_code == 200, moved.text
        assert moved.json()["at"] == "2026-03-04T14:00:00Z"
        assert moved.json()["notes"] == "bring the portfolio"
        assert moved.json()["interviewers"] == ["ana"]
        plan = c.get("/api/plan", params={"horizon": 7}).json()["actions"]
        due = {a["id"]: a["due"] for a in plan}
        assert due["prepare_interview:acme-dev:iv1"] == "2026-03-03"  # the day before
        second = c.post(
            "/api/applications/acme-dev/interviews",
            json={"at": "2026-03-05T10:00:00+00:00"},
            headers=h(c),
        )
        assert second.status_code == 201
        clash = c.patch(url, json={"at": "2026-03-05T10:00:00+00:00"}, headers=h(c))
        assert clash.status_code == 409  # a time another interview already has
        cancelled = c.patch(url, json={"cancelled": True}, headers=h(c))
        assert cancelled.json()["cancelled"] is True
        plan = c.get("/api/plan", params={"horizon": 7}).json()["actions"]
        assert not any(a["id"].endswith(":iv1") for a in plan)  # out of the plan
        gone = c.delete(url, headers=h(c))
        assert gone.status_code == 200
        assert [iv["id"] for iv in gone.json()["interviews"]] == ["iv2"]
        assert isinstance(gone.json()["change"], int)


def test_correct_and_delete_a_touch_then_a_contact(web: Site) -> None:
    with web.client() as c:
        acme(c)
        fixed = c.patch(
            "/api/applications/acme-dev/touches/t1",
            json={"outcome": "reached", "decision": "rejected", "notes": None},
            headers=h(c),
        )
        assert fixed.status_code == 200, fixed.text
        assert fixed.json()["status"] == "rejected"  # R15, as when it is recorded
        touch = fixed.json()["touches"][0]
        assert (touch["outcome"], touch["notes"]) == ("reached", None)
        c.delete("/api/applications/acme-dev/interviews/iv1", headers=h(c))
        refused = c.delete("/api/applications/acme-dev/contacts/ana", headers=h(c))
        assert refused.status_code == 409
        assert "touch t1" in refused.json()["error"]
        assert c.delete("/api/applications/acme-dev/touches/t1", headers=h(c)).status_code == 200
        deleted = c.delete("/api/applications/acme-dev/contacts/ana", headers=h(c))
        assert deleted.status_code == 200
        assert deleted.json()["contacts"] == []


def test_delete_then_undo_restores_the_export_exactly(web: Site) -> None:
    with web.client() as c:
        acme(c)
        before = c.get("/api/export").json()
        deleted = c.delete("/api/applications/acme-dev", headers=h(c))
        assert deleted.json()["deleted"] == "acme-dev"
        assert c.get("/api/applications/acme-dev").status_code == 404
        undone = c.post("/api/undo", json={"entry": deleted.json()["change"]}, headers=h(c))
        assert undone.status_code == 200, undone.text
        assert undone.json()["undone"]["undone_by"] == undone.json()["change"]
        assert c.get("/api/export").json() == before


def test_edits_undone_one_after_another(web: Site) -> None:
    with web.client() as c:
        acme(c)
        exports = [c.get("/api/export").json()]
        for patch in [{"company": "Acme Corp"}, {"position": "Senior Dev", "posting": None}]:
            c.patch("/api/applications/acme-dev", json=patch, headers=h(c))
            exports.append(c.get("/api/export").json())
        c.patch("/api/applications/acme-dev/touches/t1", json={"notes": "x"}, headers=h(c))
        for expected in reversed(exports):
            assert c.post("/api/undo", headers=h(c)).status_code == 200
            assert c.get("/api/export").json() == expected
        history = c.get("/api/history", params={"limit": 3}).json()
        assert [e["undoes"] for e in history["entries"]] == [5, 6, 7]
        assert history["before"] == history["entries"][-1]["id"]
        older = c.get("/api/history", params={"limit": 3, "before": history["before"]}).json()
        assert [e["id"] for e in older["entries"]] == [7, 6, 5]
        assert all(e["undone_by"] for e in older["entries"])


def test_forgetting_through_the_api(web: Site) -> None:
    with web.client() as c:
        acme(c)
        before = c.get("/api/export").json()
        deleted = c.delete("/api/applications/acme-dev", headers=h(c)).json()["change"]
        assert c.post("/api/history/forget", json={}, headers=h(c)).status_code == 422
        assert c.post("/api/history/forget", json={"before": None}).status_code == 403  # CSRF
        everything = c.post("/api/history/forget", json={"before": None}, headers=h(c))
        assert everything.status_code == 200, everything.text
        assert everything.json()["forgotten"] >= 2
        assert c.get("/api/history").json() == {"entries": [], "before": None}
        refused = c.post("/api/undo", json={"entry": deleted}, headers=h(c))
        assert refused.status_code == 409
        assert c.get("/api/applications/acme-dev").status_code == 404  # gone, for good
        assert c.get("/api/export").json() != before
        again = c.post("/api/history/forget", json={"before": "2026-01-01"}, headers=h(c))
        assert again.json() == {"forgotten": 0}


def test_a_call_and_the_vacancies_it_named_are_one_change(web: Site) -> None:
    with web.client() as c:
        acme(c)
        before = c.get("/api/export").json()
        logged = c.post(
            "/api/applications/acme-dev/touches",
            json={"outcome": "reached", "contact": "ana", "vacancies": "Data Engineer",
                  "new_applications": ["Data Engineer"]},
            headers=h(c),
        )  # fmt: skip
        assert logged.status_code == 201, logged.text
        assert logged.json()["created"] == ["acme-data-engineer"]
        undone = c.post("/api/undo", json={"entry": logged.json()["change"]}, headers=h(c))
        assert undone.status_code == 200
        assert c.get("/api/export").json() == before  # both taken back by one undo


def test_nothing_to_undo_is_refused(web: Site) -> None:
    with web.client() as c:
        response = c.post("/api/undo", json={}, headers=h(c))
    assert response.status_code == 409
    assert response.json()["error"] == "nothing to undo"


def test_a_company_seen_whole(web: Site) -> None:
    with web.client() as c:
        acme(c)
        c.post("/api/applications", json={"company": "ACME", "position": "Ops"}, headers=h(c))
        seen = c.get("/api/companies/acme").json()
        assert seen["name"] == "Acme"
        assert sorted(a["id"] for a in seen["applications"]) == ["acme-dev", "acme-ops"]
        assert [(x["application"], x["contact"]["name"]) for x in seen["contacts"]] == [
            ("acme-dev", "Ana")
        ]
        assert [x["touch"]["id"] for x in seen["touches"]] == ["t1"]
        assert seen["last_attempt"] == "2026-03-02"
        assert seen["next_possible"] == "2026-03-09"  # R13: a week between follow-ups there
        assert c.get("/api/companies/acme-ops").json()["key"] == "acme"  # by application id
