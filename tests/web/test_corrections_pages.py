"""Corrections, history and undo in the pages (issue 8): forms, confirmations, the cache."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.domain.model import Outcome
from followup.entrypoints.web.cache import PageCache
from followup.services import applications, contacts, interviews, touches
from tests.web.page_parts import notice_undo
from tests.web_support import Site, site, token

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest.fixture
def web(tmp_path: Path) -> Site:
    s = site(tmp_path, NOW)
    deps = bootstrap.build(str(s.db), clock=s.clock)
    applications.add_application(deps, "Acme", "Dev", now=NOW)
    contacts.add_contact(deps, "acme-dev", contacts.ContactInput(name="Ana"), contact_id="ana")
    interviews.record_interview(
        deps,
        "acme-dev",
        interviews.InterviewInput(at=datetime(2026, 3, 4, 10, tzinfo=UTC), interviewers=("ana",)),
    )
    touches.log_touch(
        deps,
        "acme-dev",
        touches.TouchInput(outcome=Outcome.NO_ANSWER, contact="ana", at=NOW),
    )
    applications.add_application(deps, "ACME", "Ops", now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    return s


def post(c: TestClient, path: str, **data: str) -> Any:
    return c.post(path, data={"csrf_token": token(c), **data}, follow_redirects=False)


def flash(html: str) -> str | None:
    found = re.search(r'<div class="flash".*?</div>', html, re.S)
    return found.group(0) if found else None


def undo_entry(html: str) -> str:
    box = flash(html)
    assert box is not None
    found = re.search(r'name="entry" value="(\d+)"', box)
    assert found is not None
    return found.group(1)


def test_a_change_is_confirmed_once_with_undo_and_never_cached(web: Site) -> None:
    with web.client() as c:
        c.get("/applications/acme-dev")  # in the page cache now
        done = post(c, "/applications/acme-dev/edit", company="Acme Corp")
        assert done.status_code == 303
        assert done.headers["location"] == "/applications/acme-dev"
        page = c.get("/applications/acme-dev").text
        box = flash(page)
        assert box is not None
        assert "Acme Corp" in box
        assert 'action="/undo"' in box
        assert undo_entry(page) == "6"
        again = c.get("/applications/acme-dev").text  # the confirmation is shown once
        assert flash(again) is None
        assert "Acme Corp" in again
        cache: PageCache = web.app.state.page_cache
        kept = [e.body for e in cache._entries.values()]
        assert kept
        assert not any(b'class="flash"' in body for body in kept)


def test_undo_from_the_confirmation_restores_the_records(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        post(c, "/applications/acme-dev/touches/t1/delete")
        entry = undo_entry(c.get("/applications/acme-dev").text)
        undone = post(c, "/undo", entry=entry, next="/applications/acme-dev")
        assert undone.status_code == 303
        assert undone.headers["location"] == "/applications/acme-dev"
        page = c.get("/applications/acme-dev").text
        box = flash(page)
        assert box is not None
        assert "Undone" in box
        assert 'action="/undo"' not in box  # an undo is undone from the History page
    assert web.snapshot() == before


def test_an_undo_that_is_not_the_newest_is_refused_on_the_history_page(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        refused = post(c, "/undo", entry="1")
        assert refused.status_code == 409
        assert "change 1 is not the newest" in refused.text
        assert post(c, "/undo", entry="x1").status_code == 409
    assert web.snapshot() == before


def test_the_history_page_lists_changes_with_one_undo_button(web: Site) -> None:
    with web.client() as c:
        page = c.get("/history").text
        assert 'href="/history" aria-current="page">History' in page
        assert page.count('action="/undo"') == 1
        assert "added acme-dev (Acme, Dev)" in page
        assert re.search(r'name="entry" value="5"', page)  # the newest change
        post(c, "/undo", entry="5", next="/history")
        page = c.get("/history").text
        assert "undone by change 6" in page
        assert re.search(r'name="entry" value="4"', page)  # undo again: the one before
        assert "change 1:" in c.get("/history?before=2").text
        for wild in ["0", "-5", str(2**63), "99999999999999999999"]:
            assert c.get(f"/history?before={wild}").status_code == 200


def test_delete_asks_first_then_undo_brings_it_back(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        ask = c.get("/applications/acme-dev/delete")
        assert ask.status_code == 200
        assert "1 interview(s)" in ask.text
        unconfirmed = post(c, "/applications/acme-dev/delete")
        assert unconfirmed.headers["location"] == "/applications/acme-dev/delete"
        assert web.snapshot() == before
        gone = post(c, "/applications/acme-dev/delete", confirm="yes")
        assert gone.headers["location"] == "/applications"
        listing = c.get("/applications").text
        assert "deleted acme-dev" in (flash(listing) or "")
        assert c.get("/applications/acme-dev").status_code == 404
        post(c, "/undo", entry=undo_entry(listing), next="/applications")
    assert web.snapshot() == before


def test_undoing_an_addition_does_not_go_back_to_a_page_that_is_gone(web: Site) -> None:
    with web.client() as c:
        added = post(c, "/applications", company="Globex", position="Analyst")
        entry = undo_entry(c.get(added.headers["location"]).text)
        undone = post(c, "/undo", entry=entry, next=added.headers["location"])
        assert undone.headers["location"] == "/applications"


@pytest.mark.parametrize(
    ("path", "data", "form", "message"),
    [
        ("/applications/acme-dev/edit", {"position": " "}, "edit", "position cannot be empty"),
        ("/applications/acme-dev/edit", {"applied_on": "31/02"}, "edit", ""),
        ("/applications/acme-dev/interviews/iv1", {"at": ""}, "interview-iv1", "date and time"),
        ("/applications/acme-dev/touches/t1", {"outcome": "sent"}, "touch-t1", "outcome"),
        ("/applications/acme-dev/contacts/ana/delete", {}, "contact-ana", "is used by"),
    ],
)
def test_a_refused_correction_comes_back_with_its_message_and_saves_nothing(
    web: Site, path: str, data: dict[str, str], form: str, message: str
) -> None:
    before = web.snapshot()
    with web.client() as c:
        response = post(c, path, **data)
    assert response.status_code == 422
    assert message in response.text or message == ""
    assert web.snapshot() == before


def test_corrections_through_the_forms(web: Site) -> None:
    with web.client() as c:
        assert post(c, "/applications/acme-dev/interviews/iv1", at="2026-03-05T09:30").is_redirect
        assert post(c, "/applications/acme-dev/interviews/iv1", notes="panel of 3").is_redirect
        assert post(c, "/applications/acme-dev/interviews/iv1/cancel").is_redirect
        assert post(c, "/applications/acme-dev/touches/t1", outcome="reached").is_redirect
        app = c.get("/api/applications/acme-dev").json()
        iv = app["interviews"][0]
        assert (iv["at"], iv["notes"], iv["cancelled"]) == (
            "2026-03-05T09:30:00Z",
            "panel of 3",
            True,
        )
        assert app["touches"][0]["outcome"] == "reached"
        assert app["touches"][0]["contact"] == "ana"  # left out of the form: kept
        assert post(c, "/applications/acme-dev/interviews/iv1/delete").is_redirect
        assert post(c, "/applications/acme-dev/touches/t1/delete").is_redirect
        assert post(c, "/applications/acme-dev/contacts/ana/delete").is_redirect
        app = c.get("/api/applications/acme-dev").json()
        assert (app["interviews"], app["touches"], app["contacts"]) == ([], [], [])
        assert c.get("/api/history").json()["entries"][0]["summary"].startswith("acme-dev")


def test_a_duplicate_asks_before_it_is_added(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        asked = post(c, "/applications", company="acme ", position="Dev", notes="again?")
        assert asked.status_code == 409
        assert "already an application at Acme for Dev" in asked.text
        assert "add this one anyway?" in asked.text
        assert 'name="duplicate_ok" value="yes"' in asked.text
        assert 'name="notes" value="again?"' in asked.text  # what was typed goes with it
        assert web.snapshot() == before
        added = post(c, "/applications", company="acme ", position="Dev", duplicate_ok="yes")
        assert added.status_code == 303
        assert added.headers["location"] == "/applications/acme-dev-2"


def test_the_company_page_shows_everything_there(web: Site) -> None:
    with web.client() as c:
        app_page = c.get("/applications/acme-ops").text
        assert 'href="/companies/acme"' in app_page
        page = c.get("/companies/acme")
        assert page.status_code == 200
        text = page.text
        assert "2 application(s)" in text
        assert "Dev" in text
        assert "Ops" in text
        assert "Ana" in text
        assert "Mon 9 Mar 2026" in text  # R13: a week after the call on 2 March
        assert c.get("/companies/globex").status_code == 404
        slash = post(c, "/applications", company="AC/DC", position="Roadie")
        assert 'href="/companies/ac%2Fdc"' in c.get(slash.headers["location"]).text
        assert "Roadie" in c.get("/companies/ac%2Fdc").text


def test_an_action_done_in_place_offers_its_undo(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        plan = c.get("/api/plan", params={"horizon": 30}).json()["actions"]
        action = next(a["id"] for a in plan if a["kind"] == "prepare_interview")
        done = c.post(
            f"/actions/{action}/done",
            data={"csrf_token": token(c)},
            headers={"hx-request": "true"},
        )
        assert done.status_code == 200
        entry = notice_undo(done.text)  # the notice of the page made in place offers it
        assert entry is not None
        undone = post(c, "/undo", entry=entry, next="/")
        assert undone.headers["location"] == "/"
    assert web.snapshot() == before


def test_an_import_offers_its_undo(web: Site) -> None:
    before = web.snapshot()
    with web.client() as c:
        exported = c.get("/api/export").json()
        exported["applications"][0]["company"] = "Acme Corp"
        imported = c.post(
            "/settings/import",
            data={"csrf_token": token(c)},
            files={"file": ("followup.json", json.dumps(exported), "application/json")},
        )
        assert imported.status_code == 200
        box = flash(imported.text)
        assert box is not None
        assert "Imported: 0 new, 1 updated" in box
        post(c, "/undo", entry=undo_entry(imported.text), next="/settings")
    assert web.snapshot() == before


def test_a_call_form_takes_notes_and_the_vacancies_to_apply_for(web: Site) -> None:
    with web.client() as c:
        logged = post(
            c,
            "/applications/acme-dev/touches",
            outcome="reached",
            contact="ana",
            notes="they liked the portfolio",
            vacancies="SRE",
            new_applications="SRE",
        )
        assert logged.status_code == 303
        app = c.get("/api/applications/acme-dev").json()
        assert app["touches"][-1]["notes"] == "they liked the portfolio"
        assert c.get("/api/applications/acme-sre").status_code == 200
