"""Safe by default: Host check, CSRF on every change, no change on GET, strict headers."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from followup import bootstrap
from followup.demo import sample
from followup.entrypoints.web import api, calendar, pages, rendering
from followup.entrypoints.web.security import CONTENT_SECURITY_POLICY
from followup.services.interchange import import_data
from tests.web_support import PORT, Site, site, token

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
IDS = {
    "app_id": "acme-backend",
    "action_id": "thank_you_email:globex-data:iv1:bruno",
    "contact_id": "ana",
    "interview_id": "iv1",
    "touch_id": "t1",
    "key": "acme",
    "name": "acme",
    "section": "overdue",
    "token": "A" * 43,  # no such feed: the feed answers 404, and changes nothing either
}


@pytest.fixture
def demo(tmp_path: Path) -> Site:
    s = site(tmp_path, NOW)
    deps = bootstrap.build(str(s.db), clock=s.clock)
    import_data(deps, sample(NOW, ZoneInfo("UTC")))
    deps.store.close()  # type: ignore[attr-defined]
    return s


def routes(methods: set[str]) -> list[tuple[str, str]]:
    """Every route of followup's routers, with real ids in its path (Today's a plain
    Starlette route of its own, ``pages.today.TODAY_ROUTE``)."""
    found = []
    every = [r for router in (*api.ROUTERS, *pages.ROUTERS, calendar.router) for r in router.routes]
    for route in [pages.today.TODAY_ROUTE, *every]:
        assert isinstance(route, APIRoute | Route)
        for method in sorted((route.methods or set()) & methods):
            found.append(
                (method, re.sub(r"{(\w+)(?::\w+)?}", lambda m: IDS[m.group(1)], route.path))
            )
    return found


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", f"127.0.0.2:{PORT}", "127.0.0.1:9999", ""]
)
def test_another_host_is_refused(demo: Site, host: str) -> None:
    with demo.client() as client:
        for method, path in [("GET", "/"), ("GET", "/api/plan"), ("POST", "/applications")]:
            response = client.request(method, path, headers={"host": host})
            assert response.status_code == 403, (method, path)


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", "127.0.0.1"])
def test_the_served_host_is_accepted(demo: Site, host: str) -> None:
    with demo.client() as client:
        assert client.get("/", headers={"host": host}).status_code == 200


def test_every_state_changing_request_needs_the_csrf_token(demo: Site) -> None:
    before = demo.snapshot()
    changing = routes({"POST", "PUT", "PATCH", "DELETE"})
    assert len(changing) >= 20
    corrections = [  # issue 8: corrections, deletions and undo are changes like any other
        ("POST", "/undo"),
        ("POST", "/api/undo"),
        ("POST", "/applications/acme-backend/edit"),
        ("POST", "/applications/acme-backend/delete"),
        ("POST", "/applications/acme-backend/interviews/iv1"),
        ("POST", "/applications/acme-backend/interviews/iv1/cancel"),
        ("POST", "/applications/acme-backend/interviews/iv1/delete"),
        ("POST", "/applications/acme-backend/touches/t1"),
        ("POST", "/applications/acme-backend/touches/t1/delete"),
        ("POST", "/applications/acme-backend/contacts/ana/delete"),
        ("PATCH", "/api/applications/acme-backend"),
        ("DELETE", "/api/applications/acme-backend"),
        ("PATCH", "/api/applications/acme-backend/interviews/iv1"),
        ("DELETE", "/api/applications/acme-backend/interviews/iv1"),
        ("PATCH", "/api/applications/acme-backend/touches/t1"),
        ("DELETE", "/api/applications/acme-backend/touches/t1"),
        ("DELETE", "/api/applications/acme-backend/contacts/ana"),
    ]
    assert set(corrections) <= set(changing)
    with demo.client() as client:
        good = token(client)
        for method, path in changing:
            for headers, data in [
                ({}, {"company": "X", "position": "Y"}),
                ({"x-csrf-token": "wrong"}, None),
                ({}, {"csrf_token": good + "x", "company": "X", "position": "Y"}),
            ]:
                response = client.request(method, path, headers=headers, data=data)
                assert response.status_code == 403, (method, path, headers)
        client.cookies.clear()  # a token without its cookie is not enough either
        response = client.post(
            "/applications", data={"csrf_token": good, "company": "X", "position": "Y"}
        )
        assert response.status_code == 403
    assert demo.snapshot() == before


def test_no_get_changes_anything(demo: Site) -> None:
    before = demo.snapshot()
    readers = routes({"GET"})
    assert len(readers) >= 15
    with demo.client() as client:
        for _, path in readers:
            if path.startswith("/static"):
                continue
            response = client.get(path)
            expected = 404 if path.startswith("/calendar/") else 200
            assert response.status_code == expected, (path, response.text[:200])
    assert demo.snapshot() == before


def test_every_response_carries_the_safety_headers(demo: Site) -> None:
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    with demo.client() as client:
        for path in ["/", "/applications", "/api/plan", "/applications/nope"]:
            response = client.get(path)
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert response.headers["cache-control"] == "no-store", path
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["referrer-policy"] == "same-origin"
        static = client.get("/static/app.css")
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("cache-control", "")


def test_the_csrf_cookie_is_strict_and_hidden_from_scripts(demo: Site) -> None:
    with demo.client() as client:
        cookie = client.get("/").headers["set-cookie"]
    assert "followup_csrf=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_every_template_is_html_and_escaped() -> None:
    names = os.listdir(rendering.TEMPLATES)
    assert names
    assert all(name.endswith(".html") for name in names), names
    env = rendering.templates.env
    assert env.autoescape is True
    rendered = env.from_string("{{ value }}").render(value="<script>alert(1)</script>")
    assert rendered == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_bad_form_input_shows_the_form_again_and_saves_nothing(demo: Site) -> None:
    before = demo.snapshot()
    with demo.client() as client:
        t = token(client)
        response = client.post(
            "/applications/acme-backend/contacts",
            data={"csrf_token": t, "name": "Rui", "email": "rui@", "role": "hr"},
        )
        assert response.status_code == 422
        form = response.text.split('action="/applications/acme-backend/contacts"')[1]
        assert "is not a valid email address" in form.split("</form>")[0]
        assert 'value="Rui"' in form  # what was typed is kept
        response = client.post(
            "/applications", data={"csrf_token": t, "company": "Acme", "position": "  "}
        )
        assert response.status_code == 422
        assert "position cannot be empty" in response.text
        response = client.post(
            "/applications/acme-backend/interviews",
            data={"csrf_token": t, "at": "2026-02-30T10:00", "interviewers": "ana"},
        )
        assert response.status_code == 422
        assert "is not a date and time" in response.text or "not a date" in response.text
    assert demo.snapshot() == before


def test_a_job_ad_link_must_be_a_web_address(demo: Site) -> None:
    with demo.client() as client:
        response = client.post(
            "/applications",
            data={
                "csrf_token": token(client),
                "company": "A",
                "position": "B",
                "link": "javascript:alert(1)",
            },
        )
    assert response.status_code == 422
    assert "not an http(s) address" in response.text
