"""Pages served afresh (issue 12): the Today page counts its sections no further than
``PAGE_COUNT_CAP`` (a count steps through every due action it counts), and addresses are
quoted without ``quote`` when there is nothing to encode."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.entrypoints.web import rendering
from followup.entrypoints.web.pages import today
from tests.e2e.test_cli_today_bounded import NOW, build_backlog
from tests.web.sample_site import SAMPLES, build
from tests.web_support import Site, token


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    db = tmp_path_factory.mktemp("today-counts") / "b.db"
    build_backlog(db)  # 50 actions overdue
    s = Site(db, datetime.fromisoformat(NOW))
    s.app.state.page_cache = None
    return s


def overdue(page: str) -> tuple[str, str, list[str]]:
    count = re.search(r'Overdue <span class="count">([^<]*)</span>', page)
    after = re.search(r'id="more-overdue-\d+">.*?<span class="count">([^<]*)</span>', page, re.S)
    section = page.split('id="section-overdue"')[1].split("</section>", maxsplit=1)[0]
    assert count
    assert after
    return count[1], after[1], re.findall(r'<article class="card [^"]*" id="([^"]+)"', section)


def test_the_counts_stop_at_the_cap_and_say_so(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    with site.client() as client:
        whole = overdue(client.get("/").text)
        monkeypatch.setattr(today, "PAGE_COUNT_CAP", 20)
        capped = overdue(client.get("/").text)
    assert whole[:2] == ("50", "40 after these")
    assert capped[:2] == ("20+", "at least 10 after these")
    assert capped[2] == whole[2]  # the same cards, the most urgent first


def test_the_pages_of_a_section_stop_at_the_cap(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today, "PAGE_COUNT_CAP", 20)
    with site.client() as client:
        second = client.get("/today/overdue", params={"page": 2}).text
        beyond = client.get("/today/overdue", params={"page": 5}).text
    assert beyond == second  # page 5 of "at least 2 pages" shows the last one counted
    assert "Show 10 more" not in second


@given(st.text())
def test_addresses_are_quoted_as_quote_and_jinja_quote_them(text: str) -> None:
    """The quick paths of ``quoted`` and ``segment`` (ids with nothing to encode) write the
    same addresses as ``quote`` and Jinja's ``urlencode``."""
    assert rendering.quoted(text) == quote(text) == jinja2.filters.do_urlencode(text)
    assert rendering.segment(text) == quote(text, safe="")
    assert rendering.templates.env.filters["urlencode"](text) == quote(text)


@pytest.mark.parametrize("text", ["status:app0000001", "debrief:a/b:iv1", "acme-co", "a b"])
def test_ids_seen_in_addresses(text: str) -> None:
    assert rendering.quoted(text) == quote(text)
    assert rendering.segment(text) == quote(text, safe="")


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_today_written_in_python_is_the_templates_page(
    sample: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: Today's page as most requests see it (no notice, no confirmation) is
    written by ``today._today_main`` in ``base.html``'s shell kept per process; byte for
    byte the page ``today.html`` renders (with and without a page cache)."""
    site = build(tmp_path / f"{sample}.db", sample)
    site.app.state.page_cache = None
    with site.client() as client:
        shelled = [client.get(path).text for path in ("/", "/")]
        monkeypatch.setattr(today, "render_shelled", lambda *_: None)
        templated = client.get("/").text
    assert shelled == [templated, templated]
    assert '<article class="card' in templated or "Nothing to do" in templated


def test_afresh_the_forms_hold_the_browsers_own_token(tmp_path: Path) -> None:
    """With no page cache, Today's cards are written with the requester's CSRF token (no
    marker put in after, issue 12): each browser's own, and a form posted with it passes."""
    site = build(tmp_path / "t.db", "backlog")
    site.app.state.page_cache = None
    with site.client() as client:
        pages = [client.get("/").text for _ in range(2)]
        mine = token(client)
        client.cookies.clear()  # another browser
        pages.append(client.get("/").text)
        theirs = token(client)
        tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', p)) for p in pages]
        assert tokens == [{mine}, {mine}, {theirs}]
        assert mine != theirs
        card = re.search(r'<form method="post" action="(/actions/[^"]+/done)"', pages[2])
        assert card
        done = client.post(card[1], data={"csrf_token": theirs, "next": "/"})
    assert done.status_code == 200
    assert "Undo" in done.text
