"""What an independent attack test of the web app found (issue 11), each refused now.

CSRF tokens another port of 127.0.0.1 could mint, a cross-origin ``Origin`` accepted, the
cookie pasted into pages and into the page cache, a 500 on a non-ASCII token, a server
bound to every interface that refused every request, and a bare 403.
"""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.demo import sample
from followup.entrypoints.web.app import create_app
from followup.entrypoints.web.cache import TOKEN_MARKER
from followup.entrypoints.web.security import CONTENT_SECURITY_POLICY, allowed_hosts
from followup.services import applications
from followup.services.interchange import import_data
from tests.web.test_security import routes
from tests.web_support import BASE_URL, PORT, Site, site, token

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')
#: A browser id as this server makes them (43 URL-safe characters), chosen by an attacker.
MINTED = "A" * 43


@pytest.fixture
def demo(tmp_path: Path) -> Site:
    s = site(tmp_path, NOW)
    deps = bootstrap.build(str(s.db), clock=s.clock)
    import_data(deps, sample(NOW, ZoneInfo("UTC")))
    deps.store.close()  # type: ignore[attr-defined]
    return s


def status_of(s: Site, app_id: str = "acme-backend") -> str:
    data, _ = s.snapshot()
    return next(str(a["status"]) for a in data["applications"] if a["id"] == app_id)


# --- 1. CSRF: tokens nobody else can mint, and the origin checked ---------------------------


def test_a_cookie_set_by_another_port_does_not_make_a_token(demo: Site) -> None:
    """A page on 127.0.0.1:OTHER can set ``followup_csrf`` (cookies ignore ports) and post
    the same value: that was a double-submit pair, it is nothing now."""
    assert status_of(demo) == "active"
    with TestClient(demo.app, base_url=BASE_URL, cookies={"followup_csrf": MINTED}) as client:
        form = client.post(
            "/applications/acme-backend/status",
            data={"csrf_token": MINTED, "status": "rejected"},
            follow_redirects=False,
        )
        api = client.post(
            "/api/applications/acme-backend/status",
            json={"status": "rejected"},
            headers={"x-csrf-token": MINTED},
        )
    assert (form.status_code, api.status_code) == (403, 403)
    assert status_of(demo) == "active"


def test_a_token_is_the_servers_own_and_lasts_one_start(demo: Site, tmp_path: Path) -> None:
    """The token is signed with a secret of the server process: another start's (or another
    server's) token for the same cookie is refused."""
    with demo.client() as client:
        mine = token(client)
        browser = str(client.cookies["followup_csrf"])
        assert mine != browser
        assert re.fullmatch(r"[0-9a-f]{64}", mine)
    other = Site(demo.db, NOW)  # the same database served again: a new secret
    with TestClient(other.app, base_url=BASE_URL, cookies={"followup_csrf": browser}) as client:
        response = client.post(
            "/api/applications/acme-backend/status",
            json={"status": "rejected"},
            headers={"x-csrf-token": mine},
        )
        assert response.status_code == 403
        assert "reload the page" in response.text
    assert status_of(demo) == "active"


FOREIGN = [
    {"origin": "http://evil.example"},
    {"origin": "http://127.0.0.1:9999"},  # another port of the same host
    {"origin": f"https://127.0.0.1:{PORT}"},  # another scheme
    {"origin": f"http://localhost:{PORT}"},  # another name: another origin
    {"origin": "null"},
    {"sec-fetch-site": "same-site"},  # what another port of 127.0.0.1 is
    {"sec-fetch-site": "cross-site"},
    {"origin": f"http://127.0.0.1:{PORT}", "sec-fetch-site": "cross-site"},
]


@pytest.mark.parametrize("foreign", FOREIGN, ids=lambda h: " ".join(h.values()))
def test_every_change_from_another_origin_is_refused(demo: Site, foreign: dict[str, str]) -> None:
    before = demo.snapshot()
    changing = routes({"POST", "PUT", "PATCH", "DELETE"})
    with demo.client() as client:
        good = token(client)
        for method, path in changing:
            response = client.request(
                method,
                path,
                headers={**foreign, "x-csrf-token": good},
                data={"csrf_token": good, "company": "X", "position": "Y", "status": "rejected"},
            )
            assert response.status_code == 403, (method, path)
            assert "another site" in response.text
    assert demo.snapshot() == before


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": BASE_URL, "sec-fetch-site": "same-origin"},  # a browser, on our page
        {"origin": BASE_URL},
        {},  # a program (curl, a script): no Origin, the token decides
    ],
)
def test_a_change_from_this_origin_passes(demo: Site, headers: dict[str, str]) -> None:
    with demo.client() as client:
        response = client.post(
            "/api/applications/acme-backend/status",
            json={"status": "rejected"},
            headers={**headers, "x-csrf-token": token(client)},
        )
        assert response.status_code == 200, response.text
    assert status_of(demo) == "rejected"


# --- 2. nothing of the request in a page, nor in the page cache -----------------------------


CRAFTED = '"><b id="injected">x</b><style>body{display:none}</style>'


def visit(s: Site, path: str, cookie: str | None) -> tuple[str, str]:
    """A page as a browser with this cookie sees it, and that browser's token."""
    cookies = {"followup_csrf": cookie} if cookie else {}
    with TestClient(s.app, base_url=BASE_URL, cookies=cookies) as client:
        return client.get(path).text, token(client)


@pytest.mark.parametrize("path", ["/week", "/", "/applications", "/applications/acme-backend"])
def test_a_crafted_cookie_injects_nothing(demo: Site, path: str) -> None:
    """A cookie "e" had every "e" of the kept page become the marker, and the next cookie
    went in their place, unescaped: thousands of elements."""
    visit(demo, path, "e")
    clean, clean_token = visit(demo, path, None)
    for _ in range(2):  # made, then from the cache
        page, mine = visit(demo, path, CRAFTED)
        assert 'id="injected"' not in page
        assert "<style>" not in page
        assert set(FORM_TOKEN.findall(page)) <= {mine}  # a fresh cookie replaced the crafted one
        assert page.replace(mine, "T") == clean.replace(clean_token, "T")


def test_one_visitors_cookie_never_reaches_anothers_page(demo: Site) -> None:
    """The page cache kept the page with the requester's token string replaced by a marker
    everywhere: a cookie equal to a word of the page rewrote it for the next visitor."""
    pages: dict[str, str] = {}
    tokens = {}
    for who, cookie in [("first", "Today"), ("second", None), ("third", MINTED)]:
        cookies = {"followup_csrf": cookie} if cookie else {}
        with TestClient(demo.app, base_url=BASE_URL, cookies=cookies) as client:
            pages[who] = client.get("/").text
            tokens[who] = token(client)
    assert "Today, Wed 25 Nov 2026" in pages["second"]
    for who, page in pages.items():
        assert set(FORM_TOKEN.findall(page)) == {tokens[who]}
        assert MINTED not in page  # the cookie itself is never shown
        for other, theirs in tokens.items():
            assert other == who or theirs not in page
    kept = b"".join(e.body for e in demo.app.state.page_cache._entries.values())
    assert kept.count(TOKEN_MARKER.encode()) > 0
    assert not any(t.encode() in kept for t in tokens.values())  # kept pages hold no token


def test_typed_text_cannot_stand_for_the_token(demo: Site) -> None:
    """The marker starts with ``<``, which every text of a page has escaped."""
    deps = bootstrap.build(str(demo.db), clock=demo.clock)
    applications.add_application(deps, TOKEN_MARKER, "Marker", now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    with demo.client() as client:
        for _ in range(2):  # made, then from the cache
            page = client.get("/applications").text
            assert TOKEN_MARKER.replace("<", "&lt;").replace(">", "&gt;") in page
            assert page.count(token(client)) == len(FORM_TOKEN.findall(page))


# --- 3. a token that is not ASCII -----------------------------------------------------------


@pytest.mark.parametrize("bad", ["é" * 64, "\u2028", "ß" + "0" * 63])
def test_a_non_ascii_token_is_refused_not_an_error(demo: Site, bad: str) -> None:
    with demo.client() as client:
        client.get("/")
        form = client.post("/applications/acme-backend/status", data={"csrf_token": bad})
        api = client.post(
            "/api/applications/acme-backend/status",
            json={"status": "rejected"},
            headers=[(b"x-csrf-token", bad.encode())],
        )
    assert (form.status_code, api.status_code) == (403, 403)


# --- 4. bound to every interface ------------------------------------------------------------


def wide(tmp_path: Path, allow: tuple[str, ...] = ()) -> TestClient:
    s = site(tmp_path, NOW)
    app = create_app(
        lambda: bootstrap.build(str(s.db), clock=s.clock),
        host="0.0.0.0",
        port=PORT,
        allow_hosts=allow,
    )
    return TestClient(app, base_url=BASE_URL)


def test_bound_to_every_interface_it_answers_to_this_machine(tmp_path: Path) -> None:
    own = socket.gethostname().lower()
    with wide(tmp_path, ("followup.lan", "192.0.2.7")) as client:
        for host in [
            f"{own}:{PORT}",
            own,
            f"127.0.0.1:{PORT}",
            f"localhost:{PORT}",
            f"[::1]:{PORT}",
            f"followup.lan:{PORT}",
            f"FOLLOWUP.lan:{PORT}",  # names are not case-sensitive
            f"192.0.2.7:{PORT}",
        ]:
            assert client.get("/", headers={"host": host}).status_code == 200, host
        for host in ["evil.example", f"evil.example:{PORT}", f"{own}.evil.example:{PORT}", ""]:
            assert client.get("/", headers={"host": host}).status_code == 403, host


def test_the_machines_addresses_are_allowed_when_bound_wide() -> None:
    hosts = allowed_hosts("0.0.0.0", PORT)
    for info in socket.getaddrinfo(socket.gethostname(), None):
        address = str(info[4][0])
        shown = f"[{address}]" if ":" in address else address
        assert f"{shown}:{PORT}" in hosts
    narrow = allowed_hosts("127.0.0.1", PORT)
    assert f"{socket.gethostname().lower()}:{PORT}" not in narrow  # only when bound wide


# --- 5. small ones --------------------------------------------------------------------------


def test_a_refused_host_still_gets_the_safety_headers(demo: Site) -> None:
    with demo.client() as client:
        response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 403
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    assert "set-cookie" not in response.headers
