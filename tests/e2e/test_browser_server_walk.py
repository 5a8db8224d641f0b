"""The browser walk of the local app, repeated with two accounts on the server (issue 15,
"Tests").

The server's web app (what each worker of ``followup server run`` serves: the same
``create_server_app`` over ``bootstrap.server_gate``'s pool) runs on the tests' PostgreSQL,
served by uvicorn on loopback, and a real Chromium walks it. Two seekers each sign in through
the login page, in a browser context of their own, and walk the local walk's steps
(``walk.py``) side by side, one step each in turn: one applies to Acme, the other to Globex.
Each then sees only their own records, and every address of the other's records that their
pages link to answers 404, as the API does.

The one difference from ``followup server run`` is the clock: the walk spans five weeks, so
the seekers' services read a clock the test moves (sessions and sign-ins keep the real one).
Without PostgreSQL's binaries or Chromium the test skips, and fails under ``CI=true``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from followup import bootstrap
from followup.adapters.postgres import schema
from followup.entrypoints.web.accounts import Gate
from followup.entrypoints.web.app import create_server_app
from tests.e2e.walk import STEPS, Walker
from tests.fakes import FakeClock
from tests.pg_cluster import Cluster
from tests.server_support import HOST, PASSWORD, add, configure
from tests.web_support import free_port, serving_app

#: Links and forms of a page: (method, address).
ADDRESSES = """() => [
  ...[...document.querySelectorAll("a[href^='/']")].map(a => ["GET", a.getAttribute("href")]),
  ...[...document.querySelectorAll("form[action^='/']")].map(
    f => [(f.getAttribute("method") || "get").toUpperCase(), f.getAttribute("action")]),
]"""


def on_clock(gate: Gate, clock: FakeClock) -> Gate:
    """The worker's gate, its seekers' services reading ``clock``."""
    return replace(
        gate,
        deps_for=lambda seeker, changes=None: replace(gate.deps_for(seeker, changes), clock=clock),
    )


@pytest.fixture
def server(pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, FakeClock]]:
    url = pg_cluster.create_database(f"walk_{uuid.uuid4().hex[:12]}")
    schema.init(url)
    configure(monkeypatch, url)
    clock = FakeClock(datetime.fromisoformat(STEPS[0][0]).replace(tzinfo=UTC))
    port = free_port()
    app = create_server_app(
        lambda: on_clock(bootstrap.server_gate(pool_size=2), clock),
        secret_key=bootstrap.server_secret_key(),
        host=HOST,
        port=port,
    )
    with serving_app(app, port) as base:
        yield base, clock


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """One browser context per person (cookies of their own), closed at the end."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def signed_in(contexts: list[BrowserContext], browser: Browser, base: str, email: str) -> Page:
    """A browser context of its own, signed in through the login page."""
    contexts.append(browser.new_context(viewport={"width": 1100, "height": 900}))
    page = contexts[-1].new_page()
    page.set_default_timeout(10_000)
    page.goto(base)
    expect(page).to_have_url(re.compile(r"/login"))  # nobody is let in unsigned
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    return page


def addresses_of(w: Walker) -> set[tuple[str, str]]:
    """The addresses of ``w``'s records that the page shown links to or posts to (they
    name the company, in its application's or its own id)."""
    found: list[list[str]] = w.page.evaluate(ADDRESSES)
    key = w.company.lower()
    return {(method, address.split("#")[0]) for method, address in found if key in address}


def test_two_seekers_walk_the_same_search_on_the_server(
    server: tuple[str, FakeClock], browser: Browser, contexts: list[BrowserContext]
) -> None:
    base, clock = server
    people = [add(), add()]
    walkers = [
        Walker(
            signed_in(contexts, browser, base, person.email),
            base,
            company,
            shots=f"server-{company}-",
        )
        for person, company in zip(people, ("Acme", "Globex"), strict=True)
    ]
    problems: list[str] = []
    for w in walkers:
        w.page.on("dialog", lambda d: problems.append(d.message))
        w.page.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )

    seen: dict[str, set[tuple[str, str]]] = {w.company: set() for w in walkers}
    for when, step in STEPS:
        clock.current = datetime.fromisoformat(when).replace(tzinfo=UTC)
        for w in walkers:
            step(w)
            seen[w.company] |= addresses_of(w)
    assert problems == []
    for w in walkers:  # and what the finished search's own pages link to
        for path in (f"/applications/{w.slug}", f"/companies/{w.company.lower()}", "/history"):
            w.page.goto(w.url + path)
            seen[w.company] |= addresses_of(w)

    for me, other in (walkers, walkers[::-1]):
        page = me.page
        response = page.request.get(f"{base}/api/applications")
        assert response.status == 200
        mine = response.json()
        assert mine["total"] == 1
        assert [a["company"] for a in mine["applications"]] == [me.company]
        page.goto(f"{base}/applications")
        expect(page.locator("main")).to_contain_text(me.company)
        expect(page.locator("main")).not_to_contain_text(other.company)
        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        page.goto(f"{base}/history")
        expect(page.locator("main")).not_to_contain_text(other.company)

        theirs = seen[other.company]
        assert {m for m, _ in theirs} == {"GET", "POST"}
        assert len(theirs) >= 10, theirs
        for method, path in sorted(theirs):
            if method == "GET":
                shown = page.goto(base + path)
                assert shown is not None
                status = shown.status
                expect(page.locator("body")).not_to_contain_text(other.company)
            else:
                status = page.request.post(base + path, form={"csrf_token": token or ""}).status
            assert status == 404, f"{method} {path}: {status}"
        assert page.request.get(f"{base}/api/applications/{other.slug}").status == 404

    for w in walkers:  # nothing the other posted reached either search
        got = w.page.request.get(f"{base}/api/applications/{w.slug}")
        assert got.status == 200
        record = got.json()
        assert record["status"] == "no_response"
        assert [c["name"] for c in record["contacts"]] == ["Ana Sousa", "Rui Lopes"]
        assert len(record["touches"]) == 4
        assert len(record["interviews"]) == 1
