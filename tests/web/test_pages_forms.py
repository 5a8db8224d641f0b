"""The pages as people use them (issue 8): one "this week", dates as the app writes them,
and the application page's forms behind disclosures that open where something is wrong."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.services import applications
from tests.web.acme import NOW, acme_site
from tests.web.page_parts import sections
from tests.web_support import Site, token

TODAY = date(2026, 3, 2)


@pytest.fixture
def acme(tmp_path: Path) -> Site:
    return acme_site(tmp_path)


def form_post(c: TestClient, url: str, **fields: str) -> str:
    return c.post(url, data={"csrf_token": token(c), **fields}).text


def week_days(html: str) -> list[str]:
    return re.findall(r'<section class="day[^"]*">\s*<h2>([^<]+)</h2>', html)


def week_links(html: str) -> set[str]:
    return set(
        re.findall(
            r'class="item [^"]*">\s*<strong>[^<]*</strong>\s*<a href="/applications/([^"]+)"', html
        )
    )


def test_today_and_week_cover_the_same_days(acme: Site) -> None:
    """Today's "This week" is the seven days after today; the Week page shows today and
    the same seven days. An action on the seventh day is on both, on the eighth on neither."""
    deps = bootstrap.build(str(acme.db), clock=acme.clock)
    applications.snooze(deps, "acme-backend", TODAY + timedelta(days=7), now=NOW)
    applications.snooze(deps, "acme-data", TODAY + timedelta(days=8), now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    with acme.client() as c:
        today = sections(c.get("/").text)
        week = c.get("/week").text
    assert [(x.id, x.due) for x in today["coming"]] == [("status-acme-backend", "2026-03-09")]
    assert week_days(week) == [
        f"{(TODAY + timedelta(days=i)):%a} {(TODAY + timedelta(days=i)).day} "
        f"{(TODAY + timedelta(days=i)):%b %Y}"
        for i in range(8)
    ]
    assert week_days(week)[-1] == "Mon 9 Mar 2026"
    assert week_links(week) == {"acme-backend"}


def test_no_page_asks_for_a_date_in_the_browsers_format(acme: Site) -> None:
    with acme.client() as c:
        for path in ["/", "/applications", "/applications/acme-backend", "/settings"]:
            html = c.get(path).text
            assert 'type="date"' not in html, path
            assert "datetime-local" not in html, path
        page = c.get("/applications/acme-backend").text
    assert 'placeholder="e.g. Mon 2 Mar 2026, tomorrow, friday, +3d"' in page


def test_a_date_typed_as_the_app_writes_it_is_taken(tmp_path: Path) -> None:
    s = acme_site(tmp_path)
    with s.client() as c:
        form_post(
            c, "/applications", company="Globex", position="Analyst", applied_on="Fri 27 Feb 2026"
        )
        assert "applied Fri 27 Feb 2026" in c.get("/applications/globex-analyst").text
        refused = form_post(
            c, "/applications", company="Initech", position="Dev", applied_on="Mon 27 Feb 2026"
        )
    assert "&#39;Mon 27 Feb 2026&#39;: 27 Feb 2026 is a Friday" in refused


def test_a_date_shown_in_a_form_reads_as_the_app_writes_it_and_goes_back_as_is(
    acme: Site,
) -> None:
    with acme.client() as c:
        form_post(c, "/applications/acme-backend/debrief", answer_by="2026-03-12")
        page = c.get("/applications/acme-backend").text
        assert 'name="answer_by" value="Thu 12 Mar 2026"' in page
        form_post(c, "/applications/acme-backend/debrief", answer_by="Thu 12 Mar 2026")
        assert "answer promised by Thu 12 Mar 2026" in c.get("/applications/acme-backend").text


def test_the_application_page_puts_next_and_the_timeline_first(acme: Site) -> None:
    with acme.client() as c:
        page = c.get("/applications/acme-backend").text
    order = [page.index(f'id="{part}"') for part in ("next", "timeline", "contacts", "status")]
    assert order == sorted(order)
    # Every form that records or changes something waits behind a disclosure.
    for form in ("record-touch", "record-interview", "edit-application"):
        assert f'<details class="form" id="{form}">' in page  # closed
    assert '<details class="form" id="add-contact">' in page  # a contact exists: closed
    # One closed "Edit" beside the contact, "Change" by the interview, "Correct" by the touch.
    assert page.count('<details class="edit">') == 3
    assert "open>" not in page.partition('id="timeline"')[2].partition('id="debrief"')[0]


def test_a_refused_form_opens_again_with_its_message(acme: Site) -> None:
    with acme.client() as c:
        page = form_post(
            c, "/applications/acme-backend/touches", outcome="reached", decision_by="soonish"
        )
        assert '<details class="form" id="record-touch" open>' in page
        assert "&#39;soonish&#39; is not a date" in page
        assert '<details class="form" id="record-interview">' in page  # the others stay shut
        contact = form_post(
            c, "/applications/acme-backend/contacts/ana-sousa", name="Ana Sousa", email="ana@"
        )
        assert '<details class="edit" open>' in contact
        assert "is not a valid email address" in contact


def test_a_contact_is_edited_where_it_is_shown(acme: Site) -> None:
    with acme.client() as c:
        page = c.get("/applications/acme-backend").text
        edit = page.split('<li id="contact-ana-sousa">')[1].split("</li>")[0]
        assert 'action="/applications/acme-backend/contacts/ana-sousa"' in edit
        form_post(
            c,
            "/applications/acme-backend/contacts/ana-sousa",
            name="Ana Souza",
            email="ana.souza@acme.example",
            phone="+351 912 345 678",
        )
        page = c.get("/applications/acme-backend").text
    assert "<strong>Ana Souza</strong>" in page
    assert "ana.souza@acme.example" in page
