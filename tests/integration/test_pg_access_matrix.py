"""Each person's search is theirs (issue 15, items 3 and 4): every route of the server's
app, by every method, for each of {owner, other seeker, coach shared, coach not shared,
coach whose share was revoked, admin, anonymous, expired session, revoked token}.

The routes are read from the app itself, so a new route is in the matrix the day it is
added (an unknown path parameter fails the test until it is given a value here). No
answer to anyone but the owner holds the owner's records; another seeker gets 404 for
them, an admin gets 404 for any search, and whoever is not signed in gets 401 (the API)
or the login page; nothing the others send changes the owner's search. A coach the
owner shares with reads the owner's search on the coach's own routes (GET only) and
gets 404 everywhere else; a coach not shared with, or no longer, gets 404 for the
owner's search on every route.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.demo import sample
from followup.domain.accounts import Account, AccountRole
from followup.entrypoints.web.accounts import ACCOUNT, COACH, PUBLIC, SESSION_COOKIE
from followup.services import signin
from followup.services.coaching import share, unshare
from followup.services.interchange import import_data
from tests.server_support import add, client, configure, sign_in

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
PARAMS = re.compile(r"{(\w+)(?::\w+)?}")
#: What the owner's search holds that nobody else's does.
MARKERS = ("acme-backend", "globex-data", "Globex", "Initech", "Umbrella", "Hooli", "Ana ")
#: Requests that end the requester's own session (their effect is tested in test_pg_signin).
OWN_SESSION = ("/logout", "/login", "/account/password", "/invite/")


def changes(url: str, seeker: int) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT changes FROM seeker WHERE id = %s", (seeker,)).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def owner(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> Account:
    configure(monkeypatch, pg_url)
    account = add()
    gate = bootstrap.server_gate(pool_size=1)
    import_data(gate.deps_for(account.id), sample(NOW, ZoneInfo("UTC")))
    gate.close()
    return account


def the_routes(c: TestClient) -> list[tuple[str, str]]:
    """Every (method, path template) of the app, HEAD and the static files aside."""
    found = []
    for route in iter_route_contexts(c.app.routes):  # type: ignore[attr-defined]
        for method in sorted(set(route.methods or ()) - {"HEAD"}):
            assert route.path is not None
            found.append((method, route.path))
    return found


def test_nobody_but_the_owner_reaches_a_search(owner: Account, pg_url: str) -> None:
    deps = bootstrap.server_signins()
    live = signin.new_token(deps, owner)
    revoked = signin.new_token(deps, owner)
    revoked_id = max(t.id for t in signin.tokens(deps, owner))
    signin.revoke_token(deps, owner, revoked_id)
    live_id = min(t.id for t in signin.tokens(deps, owner))
    ids = {
        "app_id": "acme-backend",
        "action_id": "thank_you_email:globex-data:iv1:bruno",
        "contact_id": "ana",
        "interview_id": "iv1",
        "touch_id": "t1",
        "key": "acme",
        "name": "acme",
        "token": "A" * 43,  # no such feed
        "token_id": str(live_id),  # the owner's live token
        "secret": "B" * 43,  # no such invitation
        "section": "overdue",  # a section of Today
    }
    other, admin = add(), add(AccountRole.ADMIN)
    shared, unshared, revoked_coach = (add(AccountRole.COACH) for _ in range(3))
    ids["coach"] = shared.email  # the owner's share (DELETE /api/sharing/{coach})
    ids["seeker_id"] = str(owner.id)
    coaching = bootstrap.server_gate(pool_size=1)
    assert coaching.coach is not None
    share(coaching.coach, owner, shared.email)
    share(coaching.coach, owner, revoked_coach.email)
    unshare(coaching.coach, owner, revoked_coach.email)
    coaching.close()
    before = changes(pg_url, owner.id)
    with (
        client() as mine,
        client() as others,
        client() as admins,
        client() as anonymous,
        client() as expired,
        client() as revoked_token,
        client() as coach_shared,
        client() as coach_unshared,
        client() as coach_revoked,
    ):
        for c, account in [
            (mine, owner),
            (others, other),
            (admins, admin),
            (expired, owner),
            (coach_shared, shared),
            (coach_unshared, unshared),
            (coach_revoked, revoked_coach),
        ]:
            assert sign_in(c, account.email) == 303
        with psycopg.connect(pg_url) as conn:
            conn.execute(
                "UPDATE web_session SET expires_at = now() - interval '1 second'"
                " WHERE id_sha256 = %s",
                (signin.digest(expired.cookies[SESSION_COOKIE]),),
            )
        revoked_token.headers["authorization"] = f"Bearer {revoked}"
        signed = (mine, others, admins, coach_shared, coach_unshared, coach_revoked)
        tokens = {id(c): c.get("/api/csrf").json()["token"] for c in signed}
        routes = the_routes(mine)
        assert len(routes) >= 75
        export = mine.get("/api/export").json()
        checked = 0
        for method, template in routes:
            unknown = set(PARAMS.findall(template)) - set(ids)
            assert not unknown, f"{template}: give the matrix a value for {unknown}"
            path = PARAMS.sub(lambda m: ids[m.group(1)], template)
            api = path.startswith("/api/")
            has_ids = any(
                p in template
                for p in (
                    "{app_id}",
                    "{action_id}",
                    "{contact_id}",
                    "{interview_id}",
                    "{touch_id}",
                    "{key",
                    "{name}",
                    "{token_id}",
                    "{seeker_id}",
                    "{coach}",
                )
            )
            coach_route = path.startswith(COACH)
            # The owner first (and so the page cache holds the page), then everyone else.
            if method == "GET" and not path.startswith(PUBLIC) and not coach_route:
                r = mine.get(path)
                assert r.status_code not in (401, 403), path
                assert r.status_code < 500, path
                if has_ids:
                    assert r.status_code != 404, f"owner GET {path}: the matrix's id is wrong"
            for who, c in [
                ("other", others),
                ("admin", admins),
                ("anonymous", anonymous),
                ("expired", expired),
                ("revoked", revoked_token),
                ("coach shared", coach_shared),
                ("coach not shared", coach_unshared),
                ("coach revoked", coach_revoked),
            ]:
                signed_in = who in ("other", "admin") or who.startswith("coach")
                if method != "GET" and signed_in and path.startswith(OWN_SESSION):
                    continue
                token = tokens.get(id(c), "")
                if method == "GET":
                    r = c.get(path)
                elif api:
                    r = c.request(method, path, json={}, headers={"x-csrf-token": token})
                else:
                    r = c.request(method, path, data={"csrf_token": token})
                where = f"{who} {method} {path}: {r.status_code}"
                checked += 1
                reads_shared = who == "coach shared" and coach_route and method == "GET"
                for marker in (m for m in MARKERS if m not in path and not reads_shared):
                    assert marker not in r.text, f"{where} shows {marker!r}"  # 404s echo the id
                assert r.status_code < 500, where
                if path.startswith(PUBLIC):
                    continue
                if who in ("anonymous", "expired", "revoked"):
                    if api:
                        assert r.status_code == 401, where
                    else:
                        assert r.status_code == 303, where
                        assert r.headers["location"].startswith("/login?next="), where
                elif who == "admin" and not path.startswith(ACCOUNT):
                    assert r.status_code == 404, where
                elif who.startswith("coach") and path == "/":
                    assert (r.status_code, r.headers["location"]) == (303, "/caseload"), where
                elif who.startswith("coach") and coach_route and method == "GET":
                    found = who == "coach shared" or "{seeker_id}" not in template
                    assert r.status_code == (200 if found else 404), where
                elif who.startswith("coach") and not path.startswith(ACCOUNT):
                    assert r.status_code in ((404, 405) if coach_route else (404,)), where
                elif has_ids and coach_route:  # a seeker on a coach's routes
                    assert r.status_code == 404, where
                elif who == "other" and has_ids:
                    # a write may be refused for its body (422) or its kind (400: no mailer) first
                    if r.status_code == 303:  # to a confirmation page: of nothing
                        r = c.get(r.headers["location"])
                    expected = {404} if method == "GET" else {400, 404, 422}
                    assert r.status_code in expected, where
        assert checked >= 8 * 70
        assert mine.get("/api/export").json() == export  # nothing of the owner changed
        assert mine.get("/api/me", headers={"authorization": f"Bearer {live}"}).status_code == 200
    assert changes(pg_url, owner.id) == before


def test_the_page_cache_keeps_each_seekers_pages_apart(owner: Account, pg_url: str) -> None:
    """One app (one cache) for both, and their change counters made equal: the cached
    page of one is never served to the other."""
    other = add()
    with client() as c:
        assert sign_in(c, other.email) == 303
        assert c.get("/applications").status_code == 200  # its plan made, once
        others = dict(c.cookies.items())
        c.cookies.clear()
        assert sign_in(c, owner.email) == 303
        assert "Globex" in c.get("/applications").text  # now in the cache
        with psycopg.connect(pg_url) as conn:  # the same change counter as the owner's
            conn.execute(
                "UPDATE seeker SET changes = %s WHERE id = %s",
                (changes(pg_url, owner.id), other.id),
            )
        c.cookies.clear()
        c.cookies.update(others)
        assert c.get("/api/me").json()["id"] == other.id
        assert "Globex" not in c.get("/applications").text
