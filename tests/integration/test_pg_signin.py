"""Signing in to the server's web app (issue 15, item 2) against the test cluster: the
login form, sessions (a new one at each sign-in, HttpOnly, SameSite=Lax, Secure over
HTTPS), logout and logout everywhere, a password change, throttled guessing that never
says whether an email has an account, invitation links, and API tokens."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from followup.adapters.postgres.signins import PostgresSignIns
from followup.domain.accounts import AccountRole
from followup.services import signin
from tests.server_support import PASSWORD, add, client, configure, csrf_of, sign_in


@pytest.fixture(autouse=True)
def _server(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> None:
    configure(monkeypatch, pg_url)


def test_a_signed_in_seeker_gets_a_new_session_cookie_and_sees_their_pages() -> None:
    me = add()
    with client() as c:
        assert c.get("/").status_code == 303  # anonymous: to the login page
        assert c.get("/").headers["location"] == "/login?next=%2F"
        c.cookies.set("followup_session", "planted-by-an-attacker", domain="127.0.0.1")
        assert sign_in(c, me.email.upper(), PASSWORD) == 303  # the email's case is ignored
        cookie = next(v for k, v in c.cookies.items() if k == "followup_session")
        assert cookie != "planted-by-an-attacker"  # a new id, made by the server
        assert c.get("/").status_code == 200
        assert 'the <a href="/account">Account</a> page' in c.get("/settings").text
        assert c.get("/api/me").json() == {
            "id": me.id,
            "email": me.email,
            "role": "seeker",
            "signed_in_by": "session",
        }


def test_the_session_cookie_is_httponly_lax_and_secure_only_over_https() -> None:
    me = add()
    with client() as c:
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"csrf_token": token, "email": me.email, "password": PASSWORD})
        set_cookie = r.headers["set-cookie"].lower()
        assert "httponly" in set_cookie
        assert "samesite=lax" in set_cookie
        assert "secure" not in set_cookie
    with client("https://127.0.0.1:8000") as c:
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"csrf_token": token, "email": me.email, "password": PASSWORD})
        assert r.status_code == 303
        assert "; secure" in r.headers["set-cookie"].lower()


def test_the_login_form_needs_its_csrf_token() -> None:
    me = add()
    with client() as c:
        c.get("/login")
        r = c.post("/login", data={"email": me.email, "password": PASSWORD})
        assert r.status_code == 403
        assert "followup_session" not in c.cookies


def test_a_refusal_never_says_whether_the_email_has_an_account() -> None:
    me = add()
    disabled = add()
    with psycopg.connect(pg_url_of()) as conn:
        conn.execute("UPDATE account SET disabled_at = now() WHERE id = %s", (disabled.id,))
    waiting = add(password=None)
    answers, times = [], []
    with client() as c:
        for email, password in [
            (me.email, "wrong password 1234"),
            ("nobody-" + me.email, PASSWORD),
            (disabled.email, PASSWORD),
            (waiting.email, PASSWORD),
        ]:
            token = csrf_of(c.get("/login").text)
            start = time.perf_counter()
            r = c.post("/login", data={"csrf_token": token, "email": email, "password": password})
            times.append(time.perf_counter() - start)
            answers.append((r.status_code, r.text.replace(email, "EMAIL").replace(token, "T")))
    assert all(a == answers[0] for a in answers), "the refusals differ"
    assert answers[0][0] == 401
    assert signin.REFUSED in answers[0][1]
    # Each refusal costs one argon2id verification: an unknown email is not much faster.
    assert min(times) > 0.3 * max(times), times


def pg_url_of() -> str:
    import os  # noqa: PLC0415

    return os.environ["FOLLOWUP_DATABASE_URL"]


def test_ten_failures_for_an_account_then_429_even_with_the_right_password() -> None:
    me = add()
    with client() as c:
        for _ in range(signin.MAX_FAILURES):
            assert sign_in(c, me.email, "wrong password 1234") == 401
        assert sign_in(c, me.email, PASSWORD) == 429
        assert "followup_session" not in c.cookies
    with client() as c:  # from another address, the account is throttled all the same
        assert sign_in(c, me.email, PASSWORD) == 429


def test_ten_failures_from_an_address_throttle_every_email_from_it() -> None:
    me = add()
    address = "192.0.2.77"
    with client(address=address) as c:  # ten emails, one guess each: only the address adds up
        for i in range(signin.MAX_FAILURES):
            assert sign_in(c, f"guess-{i}-{me.email}", PASSWORD) == 401
        assert sign_in(c, me.email, PASSWORD) == 429
    with client() as c:  # the account itself was never guessed at: fine from elsewhere
        assert sign_in(c, me.email, PASSWORD) == 303
    with psycopg.connect(pg_url_of()) as conn:  # 15 minutes later, the address may try again
        conn.execute(
            "UPDATE signin_failure SET at = at - interval '15 minutes 1 second' WHERE address = %s",
            (address,),
        )
    with client(address=address) as c:
        assert sign_in(c, me.email, PASSWORD) == 303


def test_logout_ends_this_session_and_logout_everywhere_ends_all() -> None:
    me = add()
    with client() as one, client() as two, client() as three:
        for c in (one, two, three):
            assert sign_in(c, me.email) == 303
        kept = dict(one.cookies)
        r = one.post("/logout", data={"csrf_token": csrf_of(one.get("/account").text)})
        assert r.status_code == 303
        one.cookies.update(kept)  # the old cookie, replayed: ended on the server
        assert one.get("/").status_code == 303
        assert two.get("/").status_code == 200
        r = two.post("/logout/everywhere", data={"csrf_token": csrf_of(two.get("/account").text)})
        assert r.status_code == 303
        assert three.get("/").status_code == 303
        assert three.get("/api/me").status_code == 401


def test_a_password_change_needs_the_current_one_and_ends_the_other_sessions() -> None:
    me = add()
    new = "another long password 99"
    with client() as mine, client() as elsewhere:
        assert sign_in(mine, me.email) == 303
        assert sign_in(elsewhere, me.email) == 303
        token = csrf_of(mine.get("/account").text)
        r = mine.post(
            "/account/password",
            data={"csrf_token": token, "current": "not it at all", "password": new},
        )
        assert r.status_code == 400
        assert "wrong password" in r.text
        r = mine.post(
            "/account/password", data={"csrf_token": token, "current": PASSWORD, "password": "x"}
        )
        assert r.status_code == 400
        assert "at least 8 characters" in r.text
        r = mine.post(
            "/account/password", data={"csrf_token": token, "current": PASSWORD, "password": new}
        )
        assert r.status_code == 303
        assert mine.get("/account").status_code == 200  # this browser goes on, signed in
        assert elsewhere.get("/").status_code == 303
    with client() as c:
        assert sign_in(c, me.email, PASSWORD) == 401
        assert sign_in(c, me.email, new) == 303


def test_an_invitation_link_sets_the_password_once() -> None:
    waiting = add(password=None)
    from followup import bootstrap  # noqa: PLC0415

    deps = bootstrap.server_signins()
    secret = signin.invite(deps, waiting)
    with psycopg.connect(pg_url_of()) as conn:
        stored = conn.execute(
            "SELECT token_sha256 FROM invitation WHERE account_id = %s", (waiting.id,)
        ).fetchall()
    assert stored == [(signin.digest(secret),)]  # only its hash is kept
    with client() as c:
        page = c.get(f"/invite/{secret}")
        assert page.status_code == 200
        assert waiting.email in page.text
        r = c.post(
            f"/invite/{secret}", data={"csrf_token": csrf_of(page.text), "password": "short"}
        )
        assert r.status_code == 400
        r = c.post(
            f"/invite/{secret}", data={"csrf_token": csrf_of(page.text), "password": PASSWORD}
        )
        assert r.status_code == 303
        assert c.get("/").status_code == 200  # signed in at once
        assert c.get(f"/invite/{secret}").status_code == 404  # used up
        assert c.get(f"/invite/{'x' * 43}").status_code == 404
    with client() as c:
        assert sign_in(c, waiting.email, PASSWORD) == 303
    with psycopg.connect(pg_url_of()) as conn:  # an expired one does not work either
        later = signin.invite(deps, waiting)
        conn.execute(
            "UPDATE invitation SET expires_at = now() - interval '1 second'"
            " WHERE token_sha256 = %s",
            (signin.digest(later),),
        )
    with client() as c:
        assert c.get(f"/invite/{later}").status_code == 404


def test_an_api_token_signs_in_without_csrf_and_stops_when_revoked() -> None:
    me = add()
    from followup import bootstrap  # noqa: PLC0415

    deps = bootstrap.server_signins()
    token = signin.new_token(deps, me)
    bearer = {"authorization": f"Bearer {token}"}
    with client() as c:
        assert c.get("/api/me", headers=bearer).json() == {
            "id": me.id,
            "email": me.email,
            "role": "seeker",
            "signed_in_by": "bearer",
        }
        made = c.post(
            "/api/applications", json={"company": "Tokenco", "position": "Dev"}, headers=bearer
        )
        assert made.status_code == 201, made.text  # no CSRF token needed with a bearer
        assert c.get("/api/me", headers={"authorization": "Bearer nope"}).status_code == 401
        assert c.get("/", headers=bearer).status_code == 303  # pages: a browser's session
        # Signed in by cookie, an API write needs the CSRF token as before.
        assert sign_in(c, me.email) == 303
        r = c.post("/api/applications", json={"company": "Cookieco", "position": "Dev"})
        assert r.status_code == 403
        listed = c.get("/account")
        assert "Revoke" in listed.text
        assert token not in listed.text  # listed, never shown again
        (token_id,) = [t.id for t in signin.tokens(deps, me)]
        other = add()
        others = signin.new_token(deps, other)
        (others_id,) = [t.id for t in signin.tokens(deps, other)]
        r = c.post(  # someone else's token id: not found, nothing revoked
            f"/account/tokens/{others_id}/revoke", data={"csrf_token": csrf_of(listed.text)}
        )
        assert r.status_code == 404
        assert c.get("/api/me", headers={"authorization": f"Bearer {others}"}).status_code == 200
        r = c.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(listed.text)})
        assert r.status_code == 303
        assert c.get("/api/me", headers=bearer).status_code == 401
        assert "revoked" in c.get("/account").text


def test_an_admin_signs_in_and_finds_no_search() -> None:
    admin = add(AccountRole.ADMIN)
    with client() as c:
        assert sign_in(c, admin.email) == 303
        assert c.get("/api/me").json()["role"] == "admin"
        assert c.get("/account").status_code == 200
        assert c.get("/").status_code == 404
        assert c.get("/api/plan").status_code == 404


def test_a_calendar_feed_answers_at_its_secret_address_without_signing_in() -> None:
    from followup import bootstrap  # noqa: PLC0415
    from followup.services import agenda  # noqa: PLC0415

    me = add()
    gate = bootstrap.server_gate(pool_size=1)
    deps = gate.deps_for(me.id)
    token = agenda.new_feed(deps, deps.clock.now())
    gate.close()
    with client() as c:
        r = c.get(f"/calendar/{token}.ics")
        assert r.status_code == 200
        assert r.text.startswith("BEGIN:VCALENDAR")
        for wrong in ("A" * 43, token[:-1] + ("B" if token[-1] != "B" else "C"), "short"):
            r = c.get(f"/calendar/{wrong}.ics")
            assert r.status_code == 404
            assert r.text == "Not found"
        assert c.get("/calendar.ics").status_code == 303  # the download is the signed-in one's
    with psycopg.connect(pg_url_of()) as conn:
        conn.execute("UPDATE account SET disabled_at = now() WHERE id = %s", (me.id,))
    with client() as c:
        assert c.get(f"/calendar/{token}.ics").status_code == 404


def test_a_token_s_last_use_is_noted_to_the_minute_without_a_write_per_request(
    pg_url: str,
) -> None:
    """Settings shows a token's last use to the minute: the first use in a minute writes
    it, the others of that minute find the account without writing; a revoked token finds
    nothing."""
    me = add()
    store = PostgresSignIns(pg_url)
    secret, hashed = signin.new_secret()
    del secret
    t0 = datetime(2026, 3, 2, 10, 41, 5, tzinfo=UTC)
    token_id = store.add_token(me.id, hashed, t0)

    def last_used() -> datetime | None:
        (found,) = [t.last_used_at for t in store.tokens(me.id) if t.id == token_id]
        return found

    assert last_used() is None
    for seconds, noted in ((0, 0), (30, 0), (54, 0), (55, 55), (70, 55), (125, 125)):
        account = store.token_account(hashed, t0 + timedelta(seconds=seconds))
        assert account is not None
        assert account.id == me.id
        assert last_used() == t0 + timedelta(seconds=noted)  # 10:41:05, 10:42:00, 10:43:10
    store.revoke_token(me.id, token_id, t0 + timedelta(minutes=5))
    assert store.token_account(hashed, t0 + timedelta(minutes=6)) is None
