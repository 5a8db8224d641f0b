"""The pages and the API ask as the command line does (the user's probe, finding 12, and
what session 9 left): a correction into a duplicate, or a contact named as one already
there, gets a confirm step (409 with ``existing`` on the API, ``duplicate_ok`` to go on); a
touch corrected into R13's week and a weekend-only contact window (R11) are saved with
their warning.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.domain.model import Outcome
from followup.services import touches
from tests.web.acme import NOW, acme_site
from tests.web_support import Site, token

WEEKEND = {"days": ["sat", "sun"], "start": "10:00", "end": "12:00"}
R11 = (
    "R11: calls are planned on business days, and Sat, Sun 10:00-12:00 has none; followup "
    "will plan them on the first business day instead. Ask them for a weekday time when you can."
)
#: acme-data's status email on Fri 20 Feb; acme-backend's thank-you of 17 Feb made a follow-up.
R13 = (
    "R13: you already followed up with Acme on Fri 20 Feb 2026 (acme-data); following up "
    "once a week is plenty. Recorded anyway."
)


@pytest.fixture
def acme(tmp_path: Path) -> Site:
    """acme-backend (Ana Sousa) and acme-data (Bruno Reis), as in tests.web.acme."""
    return acme_site(tmp_path)


def post(c: TestClient, url: str, follow: bool = True, **fields: str) -> httpx2.Response:
    return c.post(url, data={"csrf_token": token(c), **fields}, follow_redirects=follow)


def api(c: TestClient, method: str, url: str, body: dict[str, Any]) -> httpx2.Response:
    return c.request(method, url, json=body, headers={"x-csrf-token": token(c)})


def warnings(page: str) -> list[str]:
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", w)).split())
        for w in re.findall(r'<p class="warning">(.*?)</p>', page, re.S)
    ]


def hidden(page: str) -> dict[str, str]:
    """The hidden fields of the confirm step's form ("save anyway")."""
    found = re.search(r'<div class="panel confirm".*?</div>', page, re.S)
    assert found is not None, "no confirm step"
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.group(0)
        )
    }


# --- an application corrected into a duplicate ---------------------------------------------


def test_the_edit_form_asks_before_it_makes_a_duplicate(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        asked = post(
            c, "/applications/acme-data/edit", company="ACME ", position="backend engineer",
            notes="same team",
        )  # fmt: skip
        assert asked.status_code == 409
        text = html.unescape(asked.text)
        assert "acme-backend is already an application at Acme for Backend Engineer" in text
        assert 'href="/applications/acme-backend"' in asked.text
        assert "Save anyway" in text
        carried = hidden(asked.text)
        assert carried["duplicate_ok"] == "yes"
        assert (carried["company"], carried["position"], carried["notes"]) == (
            "ACME ",
            "backend engineer",
            "same team",
        )
        assert 'action="/applications/acme-data/edit"' in asked.text
        assert acme.snapshot() == before
        saved = post(c, "/applications/acme-data/edit", follow=False, **carried)
        assert saved.status_code == 303
        shown = c.get("/api/applications/acme-data").json()
        assert (shown["position"], shown["notes"]) == ("backend engineer", "same team")


def test_the_api_refuses_an_edit_into_a_duplicate_unless_told(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        refused = api(c, "PATCH", "/api/applications/acme-data", {"position": "Backend Engineer"})
        assert refused.status_code == 409
        assert refused.json() == {
            "error": "acme-backend is already an application at Acme for Backend Engineer",
            "field": "position",
            "existing": "acme-backend",
        }
        assert acme.snapshot() == before
        saved = api(
            c,
            "PATCH",
            "/api/applications/acme-data",
            {"position": "Backend Engineer", "duplicate_ok": True},
        )
        assert saved.status_code == 200
        assert saved.json()["position"] == "Backend Engineer"
        # Notes alone on a duplicate kept on purpose: no question.
        notes = api(c, "PATCH", "/api/applications/acme-data", {"notes": "two openings"})
        assert notes.status_code == 200


# --- a contact named as one already there ---------------------------------------------------


def test_the_contact_form_asks_before_a_second_contact_of_the_same_name(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        asked = post(c, "/applications/acme-data/contacts", name="bruno  reis", role="hr")
        assert asked.status_code == 409
        assert "acme-data already has a contact named Bruno Reis (bruno-reis)" in html.unescape(
            asked.text
        )
        carried = hidden(asked.text)
        assert (carried["name"], carried["role"], carried["duplicate_ok"]) == (
            "bruno  reis",
            "hr",
            "yes",
        )
        assert acme.snapshot() == before
        assert post(c, "/applications/acme-data/contacts", follow=False, **carried).status_code == (
            303
        )
        people = [p["id"] for p in c.get("/api/applications/acme-data").json()["contacts"]]
        assert people == ["bruno-reis", "bruno-reis-2"]


def test_a_contact_renamed_as_another_asks_on_the_page_and_the_api(acme: Site) -> None:
    with acme.client() as c:
        assert post(c, "/applications/acme-data/contacts", name="Rui").status_code == 200
        before = acme.snapshot()
        asked = post(c, "/applications/acme-data/contacts/rui", name="Bruno Reis")
        assert asked.status_code == 409
        assert hidden(asked.text)["name"] == "Bruno Reis"
        refused = api(
            c, "PATCH", "/api/applications/acme-data/contacts/rui", {"name": "BRUNO REIS"}
        )
        assert refused.status_code == 409
        assert refused.json()["existing"] == "bruno-reis"
        assert acme.snapshot() == before
        renamed = api(
            c,
            "PATCH",
            "/api/applications/acme-data/contacts/rui",
            {"name": "Bruno Reis", "duplicate_ok": True},
        )
        assert renamed.status_code == 200


def test_the_api_refuses_a_contact_of_the_same_name_unless_told(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        refused = api(c, "POST", "/api/applications/acme-data/contacts", {"name": "Bruno Reis"})
        assert refused.status_code == 409
        assert refused.json() == {
            "error": "acme-data already has a contact named Bruno Reis (bruno-reis)",
            "field": "name",
            "existing": "bruno-reis",
        }
        assert acme.snapshot() == before
        added = api(
            c,
            "POST",
            "/api/applications/acme-data/contacts",
            {"name": "Bruno Reis", "duplicate_ok": True},
        )
        assert added.status_code == 201
        assert added.json()["id"] == "bruno-reis-2"


# --- a touch corrected into R13's week ------------------------------------------------------


@pytest.fixture
def followed_up(acme: Site) -> Site:
    """acme-data's status email of Fri 20 Feb."""
    deps = bootstrap.build(str(acme.db), clock=acme.clock)
    touches.log_touch(
        deps,
        "acme-data",
        touches.TouchInput(outcome=Outcome.SENT, at=datetime(2026, 2, 20, 9, tzinfo=UTC)),
        now=NOW,
    )
    deps.store.close()  # type: ignore[attr-defined]
    return acme


def test_the_touch_correction_form_warns_of_r13(followed_up: Site) -> None:
    with followed_up.client() as c:
        page = post(c, "/applications/acme-backend/touches/t1", outcome="sent", purpose="status")
        assert page.status_code == 200
        assert warnings(page.text) == [R13]
        again = post(c, "/applications/acme-backend/touches/t1", outcome="sent", notes="CV")
        assert warnings(again.text) == []  # nothing R13 counts changed


def test_the_api_touch_correction_answers_r13s_warning(followed_up: Site) -> None:
    with followed_up.client() as c:
        edited = api(c, "PATCH", "/api/applications/acme-backend/touches/t1", {"purpose": "status"})
        assert edited.status_code == 200
        assert edited.json()["warnings"] == [R13]
        notes = api(c, "PATCH", "/api/applications/acme-backend/touches/t1", {"notes": "CV"})
        assert notes.json()["warnings"] == []


# --- a weekend-only contact window (R11) -----------------------------------------------------


def test_the_interview_forms_warn_of_a_weekend_only_window(acme: Site) -> None:
    with acme.client() as c:
        added = post(
            c, "/applications/acme-data/interviews", at="2026-03-10 10:00",
            contact_window="sat,sun 10-12",
        )  # fmt: skip
        assert warnings(added.text) == [R11]
        debriefed = post(
            c, "/applications/acme-backend/debrief", interview="iv1", contact_window="sat 10-12"
        )
        assert [w.split(",")[0] for w in warnings(debriefed.text)] == [
            "R11: calls are planned on business days"
        ]
        # The debrief form comes back with the window filled in: saved as it was, it is not
        # entered anew, and the warning is not said again.
        kept = post(
            c, "/applications/acme-backend/debrief", interview="iv1", contact_window="sat 10-12",
            answer_by="2026-03-13",
        )  # fmt: skip
        assert "Saved: " in kept.text
        assert warnings(kept.text) == []
        edited = post(c, "/applications/acme-backend/interviews/iv1", contact_window="sun 9-11")
        assert len(warnings(edited.text)) == 1
        weekdays = post(
            c, "/applications/acme-backend/interviews/iv1", contact_window="tue,sat 9-11"
        )
        assert warnings(weekdays.text) == []


def test_the_api_answers_a_weekend_only_window_with_its_warning(acme: Site) -> None:
    with acme.client() as c:
        added = api(
            c,
            "POST",
            "/api/applications/acme-data/interviews",
            {"at": "2026-03-10T10:00:00+00:00", "contact_window": WEEKEND},
        )
        assert added.status_code == 201
        assert added.json()["warnings"] == [R11]
        patched = api(
            c, "PATCH", "/api/applications/acme-backend/interviews/iv1", {"contact_window": WEEKEND}
        )
        assert patched.json()["warnings"] == [R11]
        debriefed = api(
            c,
            "POST",
            "/api/applications/acme-backend/debrief",
            {"interview": "iv1", "contact_window": {**WEEKEND, "days": ["sun"]}},
        )
        assert [w[:40] for w in debriefed.json()["warnings"]] == [R11[:40]]
        same = api(
            c,
            "POST",
            "/api/applications/acme-backend/debrief",
            {
                "interview": "iv1",
                "contact_window": {**WEEKEND, "days": ["sun"]},
                "confirm": ["ana-sousa"],
            },
        )
        assert same.json()["warnings"] == []  # the window it has already: not entered anew
        notes = api(c, "PATCH", "/api/applications/acme-backend/interviews/iv1", {"notes": "ok"})
        assert notes.json()["warnings"] == []  # the window was not entered this time


def test_a_debrief_naming_a_known_contact_adds_no_second_one(acme: Site) -> None:
    """The debrief form's new interviewer, and the API's, named as a contact already there
    is that contact (no `bruno-reis-2`)."""
    with acme.client() as c:
        page = post(c, "/applications/acme-data/debrief", interview="iv1", new_name="bruno reis")
        assert page.status_code == 200
        answered = api(
            c,
            "POST",
            "/api/applications/acme-data/debrief",
            {"interview": "iv1", "new_interviewers": [{"name": "Bruno  Reis", "phone": ""}]},
        )
        assert answered.status_code == 200
        assert answered.json()["interviewers"] == ["bruno-reis"]
        shown = c.get("/api/applications/acme-data").json()
        assert [p["id"] for p in shown["contacts"]] == ["bruno-reis"]
        assert shown["contacts"][0]["name_confirmed"] is True
