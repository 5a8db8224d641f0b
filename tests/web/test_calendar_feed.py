"""The calendar feed at its secret address: the token check, rotation, 404, privacy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from followup import bootstrap
from followup.domain.agenda import Feed, token_digest
from followup.services import agenda
from tests.agenda_support import NOW, job_search
from tests.web_support import BASE_URL, Site, token

FEED = re.compile(r'value="(http://127\.0\.0\.1:8765/calendar/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture
def site(tmp_path: Path) -> Site:
    job_search(tmp_path / "feed.db").store.close()  # type: ignore[attr-defined]
    return Site(tmp_path / "feed.db", NOW)


def make_feed(client: TestClient, **boxes: str) -> tuple[str, str]:
    """Press "Make a feed address": the address shown, and its token."""
    page = client.post(
        "/settings/calendar", data={"csrf_token": token(client), "do": "new", **boxes}
    )
    assert page.status_code == 200
    found = FEED.search(page.text)
    assert found is not None, page.text
    return found.group(1).removeprefix(BASE_URL), found.group(2)


def test_the_feed_serves_the_plan_at_its_address_only(site: Site) -> None:
    with site.client() as client:
        path, secret = make_feed(client)
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert response.headers["cache-control"] == "no-store"
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert len(events) == 8
        for wrong in (
            secret[:-1] + ("A" if secret[-1] != "A" else "B"),  # one character off
            secret[:-1],  # too short
            secret + "A",  # too long
            secret.lower() if secret != secret.lower() else secret.upper(),
            "A" * 43,
        ):
            missed = client.get(f"/calendar/{wrong}.ics")
            assert missed.status_code == 404
            assert missed.text == "Not found"  # a bare answer: no page, no hint
        assert client.get(f"/calendar/../{secret}.ics").status_code == 404


def test_a_new_address_retires_the_old_one_at_once(site: Site) -> None:
    with site.client() as client:
        old, _ = make_feed(client)
        new, _ = make_feed(client)
        assert old != new
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200
        off = client.post("/settings/calendar", data={"csrf_token": token(client), "do": "off"})
        assert "The calendar feed is off" in off.text
        assert client.get(new).status_code == 404


def test_the_address_is_shown_once_and_stored_only_as_a_hash(site: Site) -> None:
    with site.client() as client:
        _, secret = make_feed(client)
        assert len(secret) >= 22  # 128 bits in URL-safe base64; we make 256 (43 characters)
        assert len(secret) == 43
        later = client.get("/settings").text
        assert secret not in later
        assert "A feed exists since" in later
    for file in site.db.parent.iterdir():
        assert secret.encode() not in file.read_bytes(), file
    feed = current_feed(site)
    assert feed is not None
    assert feed.token_sha256 == token_digest(secret)


def current_feed(site: Site) -> Feed | None:
    deps = bootstrap.build(str(site.db), clock=site.clock)
    try:
        return agenda.current(deps)
    finally:
        deps.store.close()  # type: ignore[attr-defined]


def test_the_feed_shows_phones_and_notes_only_when_asked(site: Site) -> None:
    with site.client() as client:
        private, _ = make_feed(client)
        text = descriptions(client.get(private).content)
        assert "912" not in text
        assert "on-call" not in text
        detailed, _ = make_feed(client, notes="on", phones="on")
        text = descriptions(client.get(detailed).content)
        assert "Phone: +351 912 345 678" in text
        assert '"on-call"' in text


def descriptions(data: bytes) -> str:
    return "\n".join(str(e["DESCRIPTION"]) for e in Calendar.from_ical(data).walk("VEVENT"))


def test_making_a_feed_needs_the_csrf_token(site: Site) -> None:
    with site.client() as client:
        refused = client.post("/settings/calendar", data={"do": "new"})
        assert refused.status_code == 403
    assert current_feed(site) is None


def test_the_plan_downloads_as_a_file(site: Site) -> None:
    with site.client() as client:
        response = client.get("/calendar.ics")
        assert response.status_code == 200
        assert response.headers["content-disposition"] == 'attachment; filename="followup.ics"'
        assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 8
        assert 'href="/calendar.ics"' in client.get("/week").text
