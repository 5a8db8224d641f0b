"""The JSON API walks the same job search as the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.web_support import Site, site, token

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path) -> Site:
    return site(tmp_path, NOW)


def test_a_follow_up_through_the_api(web: Site) -> None:
    with web.client() as c:
        h = {"x-csrf-token": token(c)}
        app = c.post("/api/applications", json={"company": "Acme", "position": "Dev"}, headers=h)
        assert app.status_code == 201
        app_id = app.json()["id"]
        ana = c.post(
            f"/api/applications/{app_id}/contacts",
            json={
                "name": "Ana Sousa",
                "email": "ana@acme.example",
                "phone": "+351 912 345 678",
                "name_confirmed": True,
            },
            headers=h,
        )
        assert ana.status_code == 201
        assert ana.json()["phone"] == "+351 912 345 678"
        iv = c.post(
            f"/api/applications/{app_id}/interviews",
            json={"at": "2026-03-02T10:00:00+00:00", "interviewers": ["ana-sousa"]},
            headers=h,
        )
        assert iv.status_code == 201
        debrief = c.post(
            f"/api/applications/{app_id}/debrief",
            json={"contacts_every_applicant": True, "direct_contact_ok": True,
                  "contact_window": {"days": ["tue", "thu"], "start": "10:00", "end": "12:00"},
                  "answer_by": "2026-03-12"},
            headers=h,
        )  # fmt: skip
        assert debrief.status_code == 200
        assert debrief.json()["contact_window"]["days"] == ["tue", "thu"]

        plan = c.get("/api/plan", params={"horizon": 30}).json()
        kinds = [a["kind"] for a in plan["actions"] if a["application"] == app_id]
        assert kinds == ["thank_you_email", "status_call"]
        thank_you = f"thank_you_email:{app_id}:iv1:ana-sousa"
        draft = c.get(f"/api/actions/{thank_you}/draft").json()
        assert draft["to"] == {"name": "Ana Sousa", "email": "ana@acme.example"}
        done = c.post(f"/api/actions/{thank_you}/done", json={}, headers=h)
        assert done.status_code == 200
        assert [a["kind"] for a in done.json()["actions"]] == ["status_call"]

        web.clock.current = NOW + timedelta(days=15)
        explained = c.get(f"/api/actions/status:{app_id}").json()
        assert explained["due"] == "2026-03-17"
        assert [s["rule"] for s in explained["steps"]][:2] == ["R6", "R7"]
        called = c.post(
            f"/api/actions/status:{app_id}/done", json={"outcome": "no_answer"}, headers=h
        )
        assert called.json()["actions"][0]["due"] == "2026-03-24"

        logged = c.post(
            f"/api/applications/{app_id}/touches",
            json={"outcome": "reached", "decision": "undecided", "decision_by": "2026-03-27",
                  "vacancies": "Data Engineer"},
            headers=h,
        )  # fmt: skip
        assert logged.status_code == 201
        assert logged.json()["warnings"][0].startswith("R13")
        assert logged.json()["vacancies"] == ["Data Engineer"]
        created = c.post(
            f"/api/applications/{app_id}/vacancies", json={"titles": ["Data Engineer"]}, headers=h
        )
        assert [a["position"] for a in created.json()] == ["Data Engineer"]

        listed = c.get("/api/applications", params={"q": "acme", "sort": "position"}).json()
        assert [a["position"] for a in listed["applications"]] == ["Data Engineer", "Dev"]
        settings = c.put(
            "/api/settings",
            json={"country": "PT", "policy": {"first_follow_up_days": 5}},
            headers=h,
        )
        assert settings.json()["policy"]["first_follow_up_days"] == 5
        exported = c.get("/api/export").json()
        assert exported["format"] == "followup/1"
        again = c.post("/api/import", json=exported, headers=h).json()
        assert (again["created"], again["updated"]) == (0, 0)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("GET", "/api/applications/nope", None, 404, None),
        ("GET", "/api/actions/status:nope", None, 404, None),
        ("POST", "/api/applications/nope/touches", {"outcome": "sent"}, 404, None),
        (
            "POST",
            "/api/applications",
            {"company": "A", "position": "B", "link": "ftp://x"},
            400,
            "link",
        ),
        (
            "POST",
            "/api/applications",
            {"company": "A", "position": "B", "applied_on": "2300-01-01"},
            400,
            "applied_on",
        ),
        ("PUT", "/api/settings", {"timezone": "Mars/Olympus"}, 400, "timezone"),
        (
            "PUT",
            "/api/settings",
            {"policy": {"first_follow_up_days": 0}},
            400,
            "first_follow_up_days",
        ),
        ("POST", "/api/import", {"format": "nope/1", "applications": []}, 400, None),
    ],
)
def test_errors_say_what_and_where(
    web: Site, method: str, path: str, body: object, status: int, field: str | None
) -> None:
    with web.client() as c:
        response = c.request(method, path, json=body, headers={"x-csrf-token": token(c)})
    assert response.status_code == status, response.text
    assert response.json()["error"]
    assert response.json()["field"] == field


def test_errors_name_what_is_missing_without_the_command_line_s_advice(web: Site) -> None:
    """Services name a remedy; the command line words it as a command, the API does not."""
    with web.client() as c:
        app = c.get("/api/applications/nope").json()
        action = c.get("/api/actions/status:nope").json()
    assert app["error"] == "no application 'nope'"
    assert action["error"] == "no action 'status:nope' is planned now"


def test_a_duplicate_id_is_refused(web: Site) -> None:
    with web.client() as c:
        h = {"x-csrf-token": token(c)}
        assert (
            c.post(
                "/api/applications", json={"company": "A", "position": "B", "id": "a"}, headers=h
            ).status_code
            == 201
        )
        again = c.post(
            "/api/applications", json={"company": "A", "position": "B", "id": "a"}, headers=h
        )
    assert again.status_code == 409


def test_an_action_through_another_applications_hr_contact(web: Site) -> None:
    """R10: one application at a company holds the HR contact; the other's status
    follow-up goes to them, and every route showing that action answers, naming the
    application that holds the contact as ``plan --json`` does."""
    with web.client() as c:
        h = {"x-csrf-token": token(c)}
        dev = c.post(
            "/api/applications",
            json={"company": "Acme", "position": "Dev", "applied_on": "2026-02-01"},
            headers=h,
        ).json()["id"]
        hr = {
            "name": "Rui Lopes",
            "role": "hr",
            "email": "rui@acme.example",
            "name_confirmed": True,
        }
        assert c.post(f"/api/applications/{dev}/contacts", json=hr, headers=h).status_code == 201
        ops = c.post(
            "/api/applications",
            json={"company": "Acme", "position": "Ops", "applied_on": "2026-02-01"},
            headers=h,
        ).json()["id"]
        for path in ("/api/plan?horizon=30", "/api/applications", f"/api/applications/{ops}",
                     "/api/companies/Acme"):  # fmt: skip
            assert c.get(path).status_code == 200, path
        (action,) = (
            a for a in c.get("/api/plan", params={"horizon": 30}).json()["actions"]
            if a["application"] == ops and a["contact"] is not None
        )  # fmt: skip
        assert (action["contact"], action["contact_application"]) == ("rui-lopes", dev)
