"""The web app's defences in a real browser (issue 11): a clean console, no forged change.

A Content-Security-Policy violation shows in the browser's console: every page of a
search with overdue, today's and coming actions must load without one, even after other
browsers sent crafted cookies. And a page served from another port of 127.0.0.1, which
shares this host's cookies, cannot make a change: it can set a cookie, not mint a token.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser_walk import PAGES
from tests.web.acme import NOW as ACME_NOW
from tests.web.acme import two_at_acme
from tests.web_support import HOST, Site, free_port, serving

#: Pages to load (the draft is a fragment that HTMX asks for, not a page).
LOADED = [(name, path) for name, path in PAGES if name != "draft"]
#: A cookie value that was pasted, unescaped, where the token goes: it had an inline style.
CRAFTED = '"><p class="injected" style="color:red">x</p>'


@pytest.fixture
def acme(tmp_path: Path) -> Iterator[tuple[Site, str]]:
    s = Site(tmp_path / "acme.db", ACME_NOW, port=free_port())
    two_at_acme(s.db)
    with serving(s) as url:
        yield s, url


def console_of(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type in ("error", "warning") else None)
    return found


@pytest.mark.parametrize(("name", "path"), LOADED)
def test_the_console_stays_clean(
    acme: tuple[Site, str], browser: Browser, name: str, path: str
) -> None:
    """Each page, for a browser whose cookie is a common letter (the page cache took that
    letter for the token, everywhere in the page), then one with a crafted cookie, then one
    with none."""
    _, url = acme
    for cookie in ["e", CRAFTED, None]:
        context = browser.new_context()
        if cookie:
            context.add_cookies([{"name": "followup_csrf", "value": cookie, "url": url}])
        page = context.new_page()
        console = console_of(page)
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        assert console == [], (name, cookie)  # an inline style breaks the policy
        assert page.locator(".injected").count() == 0, (name, cookie)
        context.close()


ATTACK = """<!doctype html><title>a game</title>
<form id="f" method="post" action="{target}">
<input name="csrf_token" value="{minted}"><input name="status" value="rejected"></form>
<script>
document.cookie = "followup_csrf={minted}; path=/applications";
document.getElementById("f").submit();
</script>"""


@pytest.fixture
def attacker(acme: tuple[Site, str]) -> Iterator[str]:
    """Another server on 127.0.0.1, another port: its page plays the double-submit game."""
    _, url = acme
    page = ATTACK.format(target=f"{url}/applications/acme-backend/status", minted="A" * 43).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((HOST, free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_port_cannot_change_anything(
    acme: tuple[Site, str], attacker: str, page: Page
) -> None:
    site, url = acme
    before = site.snapshot()
    page.goto(url)  # the user has the app open: its own cookie is set
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.goto(attacker)
    assert posted.value.status == 403
    assert site.snapshot() == before
    page.goto(f"{url}/applications/acme-backend")
    assert (page.locator(".meta .status").text_content() or "").strip() == "active"
