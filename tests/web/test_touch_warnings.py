"""R13 (and R7) on the web: a touch that breaks them is recorded, and the page says so.

The command line and ``POST /api/.../touches`` warn; the touch form, the Done button (with
HTMX or without) and ``POST /api/actions/.../done`` warn the same way (the user's probe,
finding 2).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from tests.web.acme import acme_site
from tests.web.page_parts import notice
from tests.web_support import Site, token

HTMX = {"hx-request": "true"}
#: Both Acme applications are waiting for a status call; Acme was called today already.
R13 = (
    "R13: you already followed up with Acme on Mon 2 Mar 2026 (acme-backend); following up "
    "once a week is plenty. Recorded anyway."
)


@pytest.fixture
def acme(tmp_path: Path) -> Site:
    return acme_site(tmp_path)


def post(client: TestClient, url: str, htmx: bool = False, **fields: str) -> httpx2.Response:
    data = {"csrf_token": token(client), **fields}
    return client.post(url, data=data, headers=HTMX if htmx else {})


def called_acme_today(c: TestClient) -> None:
    response = post(c, "/actions/status:acme-backend/done", htmx=True, outcome="no_answer")
    assert response.status_code == 200
    assert warnings(response.text) == []  # the first call of the week is no news


def warnings(page: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", w).split())
        for w in re.findall(r'<p class="warning">(.*?)</p>', page, re.S)
    ]


def test_the_touch_form_warns_when_it_breaks_r13(acme: Site) -> None:
    with acme.client() as c:
        called_acme_today(c)
        page = post(
            c, "/applications/acme-data/touches", outcome="no_answer", purpose="status"
        ).text
        assert "Saved: acme-data: touch t2 added." in page
        assert warnings(page) == [R13]
        # Shown once: the next page is as it always is.
        assert warnings(c.get("/applications/acme-data").text) == []


def test_the_done_button_warns_when_it_breaks_r13(acme: Site) -> None:
    with acme.client() as c:
        called_acme_today(c)
        page = post(c, "/actions/status:acme-data/done", outcome="no_answer", next="/").text
        assert warnings(page) == [R13]
        assert warnings(c.get("/").text) == []


def test_the_done_button_warns_in_place_too(acme: Site) -> None:
    with acme.client() as c:
        called_acme_today(c)
        html = post(c, "/actions/status:acme-data/done", htmx=True, outcome="no_answer").text
        said = notice(html)
        assert said is not None
        assert said.startswith("Recorded: status call to Bruno Reis: no answer.")
        assert warnings(html) == [R13]


def test_the_api_done_answers_the_warnings(acme: Site) -> None:
    with acme.client() as c:
        called_acme_today(c)
        done = c.post(
            "/api/actions/status:acme-data/done",
            json={"outcome": "no_answer"},
            headers={"x-csrf-token": token(c)},
        )
        assert done.status_code == 200
        assert done.json()["warnings"] == [R13]


def test_a_warning_in_a_cookie_from_elsewhere_is_not_shown(acme: Site) -> None:
    """Another port of this host can set our cookies: a warning is shown only as signed by
    this server, for the very change it was made with."""
    with acme.client() as c:
        called_acme_today(c)
        page = post(c, "/applications/acme-data/touches", outcome="no_answer").text
        assert warnings(page) == [R13]
        forged = c.cookies.get("followup_change")
        assert forged is None  # cleared once shown
        entry = c.get("/api/history").json()["entries"][0]["id"]
        c.cookies.set("followup_change", f"{entry}.UjEzOiBjYWxsIDEyMyBub3c.{'0' * 64}")
        assert warnings(c.get("/applications/acme-data").text) == []


# --- finding 3: a touch dated in the future is refused on every surface --------------------

FUTURE = "at: Thu 24 Dec 2026 10:00 is in the future (today is Mon 2 Mar 2026)"


def test_the_touch_form_refuses_a_date_in_the_future(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        response = post(
            c,
            "/applications/acme-data/touches",
            outcome="reached",
            decision="rejected",
            at="2026-12-24 10:00",
        )
    assert response.status_code == 422
    assert FUTURE in response.text
    assert acme.snapshot() == before


def test_the_api_refuses_a_touch_in_the_future(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        h = {"x-csrf-token": token(c)}
        logged = c.post(
            "/api/applications/acme-data/touches",
            json={"outcome": "sent", "at": "2026-12-24T10:00:00+00:00"},
            headers=h,
        )
        done = c.post(
            "/api/actions/status:acme-data/done",
            json={"outcome": "reached", "at": "2026-12-24T10:00:00+00:00"},
            headers=h,
        )
        imported = c.post(
            "/api/import",
            json={
                "format": "followup/1",
                "applications": [
                    {"id": "later", "company": "Globex", "position": "Analyst",
                     "applied_on": "2027-01-01"},
                ],
            },
            headers=h,
        )  # fmt: skip
    assert logged.status_code == done.status_code == 400  # an invalid value
    assert FUTURE in logged.text
    assert FUTURE in done.text
    assert imported.status_code == 400  # an invalid file, as every refused import
    assert "applications[0].applied_on: Fri 1 Jan 2027 is in the future" in imported.text
    assert acme.snapshot() == before


# --- finding 6: an import that replaces settings says so ------------------------------------

BERLIN = {
    "format": "followup/1",
    "settings": {"timezone": "Europe/Berlin", "country": "DE"},
    "applications": [],
}


def test_the_import_page_and_the_api_say_which_settings_changed(acme: Site) -> None:
    with acme.client() as c:
        zone = c.get("/api/settings").json()["timezone"]
        page = c.post(
            "/settings/import",
            data={"csrf_token": token(c)},
            files={"file": ("backup.json", json.dumps(BERLIN).encode(), "application/json")},
        ).text
        assert (
            "Imported: 0 new, 0 updated, 0 unchanged application(s). Settings changed: "
            f"timezone '{zone}' -> 'Europe/Berlin'; country (none) -> 'DE'."
        ) in html.unescape(page)
        history = c.get("/api/history").json()["entries"][0]["summary"]
        assert history == (
            "Imported backup.json: 0 new, 0 updated, 0 unchanged application(s); settings: "
            f"timezone '{zone}' -> 'Europe/Berlin', country (none) -> 'DE'"
        )
        back = {**BERLIN, "settings": {"timezone": zone, "country": None}}
        api = c.post("/api/import", json=back, headers={"x-csrf-token": token(c)}).json()
        assert api["settings"] == [
            f"timezone 'Europe/Berlin' -> '{zone}'",
            "country 'DE' -> (none)",
        ]


# --- finding 13: a page's words are a page's, not the command line's or FastAPI's -----------


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/history?before=abc", "before: 'abc' is not a whole number"),
        ("/today/overdue?page=abc", "page: 'abc' is not a whole number"),
    ],
)
def test_a_bad_query_parameter_on_a_page_is_a_page(acme: Site, path: str, said: str) -> None:
    with acme.client() as c:
        response = c.get(path)
        api = c.get("/api/history?before=abc")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert said in html.unescape(response.text)
    assert api.status_code == 422  # the API keeps its documented JSON
    assert api.json()["detail"][0]["loc"] == ["query", "before"]


def test_a_sheet_without_known_headers_says_what_to_do_on_the_page(acme: Site) -> None:
    with acme.client() as c:
        page = c.post(
            "/settings/import",
            data={"csrf_token": token(c)},
            files={"file": ("odd.csv", b"Who,What\nAcme,Dev\n", "text/csv")},
        ).text
    text = html.unescape(page)
    assert "--map" not in text
    assert "choose the column that gives each in the table below" in text
    assert "found by its header" not in text  # no column has a header it knows


def test_after_an_accepted_offer_a_withdrawal_is_not_told_to_keep_applying(acme: Site) -> None:
    """R20: an accepted offer ends the search. The notice under a withdrawal says why nothing
    is left (a door kept open), never R9's "keep your other applications moving"."""
    with acme.client() as c:
        accepted = post(c, "/applications/acme-backend/status", status="accepted")
        assert accepted.status_code == 200
        (withdrawal,) = c.get("/api/plan", params={"horizon": 30}).json()["actions"]
        assert (withdrawal["kind"], withdrawal["application"]) == ("withdraw", "acme-data")
        done = post(c, f"/actions/{withdrawal['id']}/done", htmx=True)
        words = notice(done.text) or ""
        assert "Acme is now withdrawn." in words
        assert "you accepted another offer" in words
        assert "R9" not in words
        assert "keep your other applications moving" not in words.lower()
