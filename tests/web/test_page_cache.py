"""Pages are kept until the plan can change, and never served for the wrong moment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followup import bootstrap
from followup.services import applications
from tests.web_support import Site, site

NOW = datetime(2026, 3, 9, 23, 50, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path) -> Site:
    s = site(tmp_path, NOW)
    deps = bootstrap.build(str(s.db), clock=s.clock)
    applications.add_application(deps, "Acme", "Dev", now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    return s


def heading(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html)
    assert found is not None
    return found.group(1)


def test_a_write_by_another_process_shows_at_once(web: Site) -> None:
    with web.client() as c:
        assert "Globex" not in c.get("/applications").text
        assert "Globex" not in c.get("/applications").text  # now from the cache
        other = bootstrap.build(str(web.db), clock=web.clock)  # as the command line would
        applications.add_application(other, "Globex", "Analyst", now=NOW)
        other.store.close()  # type: ignore[attr-defined]
        assert "Globex" in c.get("/applications").text


def test_time_passing_an_event_shows_at_once(web: Site) -> None:
    with web.client() as c:
        assert heading(c.get("/").text) == "Today, Mon 9 Mar 2026"
        web.clock.current = NOW + timedelta(minutes=20)  # past midnight (UTC here)
        assert heading(c.get("/").text) == "Today, Tue 10 Mar 2026"


def test_an_interview_starting_changes_the_page(web: Site) -> None:
    with web.client() as c:
        token = c.get("/api/csrf").json()["token"]
        c.post(
            "/api/applications/acme-dev/interviews",
            json={"at": "2026-03-09T23:55:00+00:00"},
            headers={"x-csrf-token": token},
        )
        assert "Prepare the interview" in c.get("/applications/acme-dev").text
        web.clock.current = NOW + timedelta(minutes=6)  # the interview has started
        page = c.get("/applications/acme-dev").text
        assert "Prepare the interview" not in page
        assert "Record what you learned" in page


def test_a_clock_going_back_is_not_served_the_future(web: Site) -> None:
    with web.client() as c:
        web.clock.current = NOW + timedelta(days=1)
        assert heading(c.get("/").text) == "Today, Tue 10 Mar 2026"
        web.clock.current = NOW
        assert heading(c.get("/").text) == "Today, Mon 9 Mar 2026"


def test_each_browser_gets_its_own_csrf_token_from_a_cached_page(web: Site) -> None:
    tokens = []
    for _ in range(2):
        with web.client() as c:
            page = c.get("/applications").text
            mine = c.get("/api/csrf").json()["token"]
            form_tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
            assert form_tokens == {mine}
            tokens.append(mine)
    assert tokens[0] != tokens[1]
