"""An action card's button updates every card that changed (issue 8, "The web app").

With HTMX the answer is the page the card was on, made afresh with a notice on top, so a
call at one Acme application also moves the other Acme card (R13), and the next action
lands in the section its date belongs to. Without JavaScript: post/redirect/get.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from tests.web.acme import acme_site
from tests.web.page_parts import cards, notice, sections
from tests.web_support import Site, token

HTMX = {"hx-request": "true"}


@pytest.fixture
def acme(tmp_path: Path) -> Site:
    return acme_site(tmp_path)


def post(client: TestClient, url: str, htmx: bool = True, **fields: str) -> httpx2.Response:
    data = {"csrf_token": token(client), "next": "/", **fields}
    return client.post(url, data=data, headers=HTMX if htmx else {}, follow_redirects=False)


def test_before_the_call_r13_spaces_the_two_acme_calls(acme: Site) -> None:
    with acme.client() as c:
        today = sections(c.get("/").text)
    assert [(x.id, x.due) for x in today["overdue"]] == [("status-acme-backend", "2026-02-23")]
    assert ("status-acme-data", "2026-03-02") in [(x.id, x.due) for x in today["today"]]


def test_a_call_in_place_moves_the_other_acme_card_too(acme: Site) -> None:
    with acme.client() as c:
        response = post(c, "/actions/status:acme-backend/done", outcome="no_answer")
        assert response.status_code == 200
        html = response.text
        after = sections(html)
        # Nothing is overdue any more: the call was made, its next one is in "This week",
        # and R13 (step 8) moved the other Acme call, due today, a week after that one:
        # out of today's page.
        assert "overdue" not in after
        assert [(x.id, x.due) for x in after["coming"]] == [("status-acme-backend", "2026-03-09")]
        assert "status-acme-data" not in [x.id for v in after.values() for x in v]
        assert "Mon 16 Mar 2026" in c.get("/applications/acme-data").text
        # The Acme card is marked as changed; the notice says what was done.
        assert all("fresh" in x.classes for x in after["coming"])
        assert notice(html) == (
            "Recorded: status call to Ana Sousa: no answer. Next for Acme · Backend Engineer:"
            " Call for news, Mon 9 Mar 2026."
        )
        # The same page as a fresh GET shows, without the notice (never cached with it).
        again = c.get("/").text
        assert sections(again) == {
            k: [x.__class__(x.id, x.classes - {"fresh"}, x.due) for x in v]
            for k, v in after.items()
        }
        assert notice(again) is None


def test_the_answer_carries_the_requesters_csrf_token_and_its_own_paths(acme: Site) -> None:
    with acme.client() as c:
        html = post(c, "/actions/status:acme-backend/done", outcome="reached").text
        mine = token(c)
    assert set(re.findall(r'name="csrf_token" value="([^"]+)"', html)) == {mine}
    # The forms of the new page come back to it, not to the URL that was posted.
    assert 'name="next" value="/actions' not in html
    assert 'name="next" value="/"' in html


def test_from_the_application_page_the_answer_is_that_page(acme: Site) -> None:
    with acme.client() as c:
        html = post(
            c,
            "/actions/status:acme-data/done",
            outcome="voicemail",
            next="/applications/acme-data",
        ).text
    assert re.search(r"<h1><a [^>]*>Acme</a> <small>Data Engineer</small></h1>", html)
    assert notice(html) is not None
    assert "Recorded: status call to Bruno Reis: voicemail." in (notice(html) or "")
    assert [x.id for x in cards(html)] == ["status-acme-data"]
    assert 'name="next" value="/applications/acme-data"' in html
    assert "voicemail" in html.split('id="timeline"')[1]  # the timeline is made again too


def test_without_javascript_it_is_post_redirect_get(acme: Site) -> None:
    with acme.client() as c:
        response = post(c, "/actions/status:acme-backend/done", htmx=False, outcome="no_answer")
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        after = sections(c.get("/").text)
    assert [(x.id, x.due) for x in after["coming"]] == [("status-acme-backend", "2026-03-09")]


def test_a_refused_card_comes_back_alone_with_its_message(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        response = post(
            c, "/actions/status:acme-data/done", outcome="reached", decision_by="next blue moon"
        )
    assert response.status_code == 422
    headers = response.headers
    assert headers["hx-retarget"] == headers["hx-reselect"] == "#card-status-acme-data"
    assert headers["hx-reswap"] == "outerHTML"
    html = response.text
    assert html.lstrip().startswith("<article")
    assert "&#39;next blue moon&#39; is not a date" in html
    assert acme.snapshot() == before  # nothing written


def test_dismissing_in_place_makes_the_page_again(acme: Site) -> None:
    with acme.client() as c:
        mine = token(c)
        c.post(  # an interview on Wednesday: "prepare the interview" can be dismissed
            "/applications/acme-data/interviews",
            data={"csrf_token": mine, "at": "Wed 4 Mar 2026 15:00"},
        )
        assert "prepare_interview-acme-data-iv2" in [x.id for x in cards(c.get("/").text)]
        html = post(c, "/actions/prepare_interview:acme-data:iv2/dismiss").text
    assert (notice(html) or "").startswith("Dismissed. Next for Acme · Data Engineer:")
    assert "prepare_interview-acme-data-iv2" not in [x.id for x in cards(html)]
