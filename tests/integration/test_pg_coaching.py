"""Coaches, with consent (issue 15, item 4), against the real PostgreSQL of the tests:
sharing and revoking (API and Settings), a coach's read-only API and pages, the
caseload's figures against the seeker's own plan, and the access log the seeker sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.demo import sample
from followup.domain.accounts import Account, AccountRole
from followup.formats.stats import stats_json
from followup.services import accounts, coaching
from followup.services.applications import list_applications
from followup.services.corrections import ApplicationEdit, edit_application
from followup.services.insights import stats
from followup.services.interchange import import_data
from tests.server_support import add, client, configure, csrf_of, sign_in


@pytest.fixture
def seeker(monkeypatch: pytest.MonkeyPatch, pg_url: str) -> Account:
    """A seeker with a search in progress (some of it overdue by now)."""
    configure(monkeypatch, pg_url)
    account = add()
    gate = bootstrap.server_gate(pool_size=1)
    now = datetime.now(UTC) - timedelta(days=9)
    import_data(gate.deps_for(account.id), sample(now, ZoneInfo("UTC")))
    gate.close()
    return account


def api(c: TestClient) -> TestClient:
    """``c`` sending its CSRF token with each API request."""
    c.headers["x-csrf-token"] = c.get("/api/csrf").json()["token"]
    return c


def changes(url: str, seeker: int) -> object:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT changes FROM seeker WHERE id = %s", (seeker,)).fetchone()
    assert row is not None
    return row[0]


def test_a_seeker_shares_with_a_coach_and_revokes_it(seeker: Account) -> None:
    coach = add(AccountRole.COACH)
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        api(c)
        assert c.get("/api/sharing").json() == {"shares": []}
        r = c.post("/api/sharing", json={"coach": f"  {coach.email.upper()} "})
        assert r.status_code == 201, r.text
        assert r.json()["coach"] == coach.email
        again = c.post("/api/sharing", json={"coach": coach.email})  # nothing changes
        assert again.status_code == 201
        assert again.json() == r.json()
        assert c.get("/api/sharing").json() == {"shares": [r.json()]}
        assert c.delete(f"/api/sharing/{coach.email}").status_code == 204
        assert c.get("/api/sharing").json() == {"shares": []}
        gone = c.delete(f"/api/sharing/{coach.email}")
        assert gone.status_code == 404
        assert gone.json() == {
            "error": f"you do not share your search with {coach.email}",
            "field": "coach",
        }


def test_only_an_enabled_coach_can_be_shared_with_and_all_others_answer_alike(
    seeker: Account,
) -> None:
    """No account, a seeker's, an admin's, a disabled coach's, one's own: one answer
    (404, "no coach account"), which tells nothing else about the email."""
    disabled = add(AccountRole.COACH)
    accounts.disable(bootstrap.server_accounts(), disabled.email)
    others = [
        "nobody-at-all@example.org",
        add().email,
        add(AccountRole.ADMIN).email,
        disabled.email,
        seeker.email,
    ]
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        api(c)
        for email in others:
            r = c.post("/api/sharing", json={"coach": email})
            assert r.status_code == 404, email
            assert r.json() == {
                "error": f"no coach account with the email {email} on this server (ask your "
                "coach for the email they sign in with)",
                "field": "coach",
            }
        bad = c.post("/api/sharing", json={"coach": "not an email"})
        assert bad.status_code == 400
        assert bad.json()["field"] == "coach"
        assert bad.json()["error"].startswith("coach: ")
        assert c.post("/api/sharing", json={}).status_code == 422
        assert c.get("/api/sharing").json() == {"shares": []}


def test_sharing_from_the_settings_page_without_javascript(seeker: Account) -> None:
    coach = add(AccountRole.COACH)
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        page = c.get("/settings").text
        assert "Sharing with a coach" in page
        assert "You share your search with nobody." in page
        token = csrf_of(page)
        assert c.post("/settings/sharing", data={"coach": coach.email}).status_code == 403
        r = c.post("/settings/sharing", data={"csrf_token": token, "coach": coach.email})
        assert (r.status_code, r.headers["location"]) == (303, "/settings#sharing")
        page = c.get("/settings").text
        assert coach.email in page
        assert "Stop sharing" in page
        wrong = c.post("/settings/sharing", data={"csrf_token": token, "coach": "x@example.org"})
        assert wrong.status_code == 422
        assert "no coach account with the email x@example.org" in wrong.text
        r = c.post("/settings/sharing/revoke", data={"csrf_token": token, "coach": coach.email})
        assert r.status_code == 303
        assert "You share your search with nobody." in c.get("/settings").text


def test_a_coach_reads_what_the_seeker_sees_and_never_writes(seeker: Account, pg_url: str) -> None:
    coach = add(AccountRole.COACH)
    with client() as mine, client() as theirs:
        assert sign_in(mine, seeker.email) == 303
        assert sign_in(theirs, coach.email) == 303
        api(mine)
        api(theirs)
        assert theirs.get("/api/seekers").json() == {"seekers": []}
        where = f"/api/seekers/{seeker.id}"
        assert theirs.get(f"{where}/plan").status_code == 404  # not shared yet
        assert mine.post("/api/sharing", json={"coach": coach.email}).status_code == 201
        before = changes(pg_url, seeker.id)

        plan = mine.get("/api/plan", params={"horizon": 30}).json()
        assert plan["actions"]
        assert (
            theirs.get(f"{where}/plan", params={"horizon": 30}).json()["actions"]
            == (plan["actions"])
        )
        own = mine.get("/api/applications").json()
        assert own["total"] > 0
        assert theirs.get(f"{where}/applications").json() == own
        found = theirs.get(f"{where}/insights").json()
        gate = bootstrap.server_gate(pool_size=1)
        deps = gate.deps_for(seeker.id)
        expected = stats_json(stats(deps, deps.clock.now(), None, None))
        gate.close()
        assert found == expected

        today = plan["today"]
        overdue = [a for a in plan["actions"] if a["due"] < today]
        assert overdue, "the sample has overdue actions nine days on"
        (row,) = theirs.get("/api/seekers").json()["seekers"]
        assert row["id"] == seeker.id
        assert row["email"] == seeker.email
        assert row["overdue"] == len(overdue)
        assert row["last_activity"] is not None

        # reads only: no other method on the coach's routes, no write through them
        for path in (where + "/plan", where + "/applications", where + "/insights", "/api/seekers"):
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                assert theirs.request(method, path, json={}).status_code in (404, 405), path
        assert theirs.get("/api/plan").status_code == 404  # the coach has no search
        assert theirs.post("/api/applications", json={}).status_code == 404
        assert changes(pg_url, seeker.id) == before

        # a seeker never reaches the coach's routes, nor a coach the sharing ones
        assert mine.get("/api/seekers").status_code == 404
        assert mine.get(f"{where}/plan").status_code == 404
        assert theirs.get("/api/sharing").status_code == 404

        # revoking takes effect on the coach's next request
        assert mine.delete(f"/api/sharing/{coach.email}").status_code == 204
        assert theirs.get(f"{where}/plan").status_code == 404
        assert theirs.get("/api/seekers").json() == {"seekers": []}
        assert theirs.get(f"/caseload/{seeker.id}").status_code == 404


def test_other_seekers_ids_and_odd_ids_are_not_found(seeker: Account) -> None:
    coach, other = add(AccountRole.COACH), add()
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        assert api(c).post("/api/sharing", json={"coach": coach.email}).status_code == 201
    with client() as c:
        assert sign_in(c, coach.email) == 303
        for seeker_id in (str(other.id), str(coach.id), "0", "-1", "x", "9" * 30, "1e3"):
            for tail in ("/plan", "/applications", "/insights"):
                r = c.get(f"/api/seekers/{seeker_id}{tail}")
                assert r.status_code == 404, (seeker_id, tail)
                assert r.json()["error"] == f"no seeker {seeker_id} shares a search with you"
            for tail in ("", "/applications", "/insights"):
                assert c.get(f"/caseload/{seeker_id}{tail}").status_code == 404, tail


def test_the_caseload_and_the_read_only_pages(seeker: Account) -> None:
    coach = add(AccountRole.COACH)
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        assert api(c).post("/api/sharing", json={"coach": coach.email}).status_code == 201
        plan = c.get("/api/plan").json()
    overdue = sorted(
        (a for a in plan["actions"] if a["due"] < plan["today"]),
        key=lambda a: (a["due"], a["kind"], a["application"] or "", a["contact"] or "", a["id"]),
    )
    with client() as c:
        assert sign_in(c, coach.email) == 303
        home = c.get("/")
        assert (home.status_code, home.headers["location"]) == (303, "/caseload")
        page = c.get("/caseload").text
        assert seeker.email in page
        assert f'href="/caseload/{seeker.id}"' in page
        assert '<a href="/caseload" aria-current="page">Caseload</a>' in page
        assert 'href="/settings"' not in page  # a coach's navigation: Caseload, Account
        assert f"<strong>{len(overdue)}</strong>" in page
        for seen in (c.get(f"/caseload/{seeker.id}"), c.get(f"/caseload/{seeker.id}/applications")):
            assert seen.status_code == 200
            assert "<form" not in seen.text
            assert "<button" not in seen.text
        today = c.get(f"/caseload/{seeker.id}").text
        assert f"Overdue ({len(overdue)})" in today
        assert "Globex" in c.get(f"/caseload/{seeker.id}/applications").text

    rows = caseload_of(coach)
    (row,) = rows
    assert row.overdue.count == len(overdue)
    assert [a.id for a in row.overdue.first] == [a["id"] for a in overdue[:3]]


def test_a_coach_reads_the_seekers_insights_as_the_seeker_does(
    seeker: Account, pg_url: str
) -> None:
    """The Insights tab shows the figures of the seeker's own page, for the period its GET
    form asks; it writes nothing, and the seeker sees the look as one at their figures."""
    coach = add(AccountRole.COACH)
    with client() as c:
        assert sign_in(c, seeker.email) == 303
        assert api(c).post("/api/sharing", json={"coach": coach.email}).status_code == 201
        own = c.get("/insights?from=2000-01-01").text
    before = changes(pg_url, seeker.id)
    with client() as c:
        assert sign_in(c, coach.email) == 303
        where = f"/caseload/{seeker.id}/insights"
        assert f'href="{where}"' in c.get(f"/caseload/{seeker.id}").text
        seen = c.get(f"{where}?from=2000-01-01")
        assert seen.status_code == 200
        assert figures_of(seen.text) == figures_of(own)
        assert f'<form class="period" method="get" action="{where}"' in seen.text
        assert 'method="post"' not in seen.text
        assert 'href="/applications"' not in seen.text  # the seeker's own links are not there
        bad = c.get(f"{where}?from=someday")
        assert bad.status_code == 400
        assert 'id="from-error"' in bad.text
    assert changes(pg_url, seeker.id) == before
    gate = bootstrap.server_gate(pool_size=1)
    assert gate.coach is not None
    looks = coaching.access_log(gate.coach, seeker)
    gate.close()
    assert [(look.what.value, look.times) for look in looks if look.what.value == "insights"] == [
        ("insights", 2)
    ]


def figures_of(page: str) -> str:
    """The figures of an Insights page, from the funnel to the definitions."""
    start = page.index('<div class="insights">')
    return page[start : page.index('<section class="panel definitions"', start)]


def caseload_of(coach: Account) -> list[Any]:
    gate = bootstrap.server_gate(pool_size=1)
    try:
        assert gate.coach is not None
        return coaching.caseload(gate.coach, coach)
    finally:
        gate.close()


def test_the_seeker_sees_each_look_in_the_access_log(seeker: Account) -> None:
    coach = add(AccountRole.COACH)
    with client() as mine, client() as theirs:
        assert sign_in(mine, seeker.email) == 303
        assert sign_in(theirs, coach.email) == 303
        assert api(mine).post("/api/sharing", json={"coach": coach.email}).status_code == 201
        assert "No coach has looked at your search." in mine.get("/settings").text
        theirs.get("/caseload")
        theirs.get(f"/api/seekers/{seeker.id}/plan")
        theirs.get(f"/caseload/{seeker.id}")  # the plan again: the same row, twice
        theirs.get(f"/api/seekers/{seeker.id}/insights")
        gate = bootstrap.server_gate(pool_size=1)
        assert gate.coach is not None
        looks = coaching.access_log(gate.coach, seeker)
        gate.close()
        assert sorted((look.what.value, look.times) for look in looks) == [
            ("caseload", 1),
            ("insights", 1),
            ("plan", 2),
        ]
        assert {look.coach_email for look in looks} == {coach.email}
        page = mine.get("/settings").text
        assert "When coaches looked" in page
        assert "your plan" in page
        assert "your figures" in page
        assert page.count(coach.email) >= 4  # the share and three rows
        # a seeker not sharing is not looked at: nothing logged for them
        other = add()
        theirs.get(f"/api/seekers/{other.id}/plan")
        assert coaching.LOG_KEPT_DAYS == 365


def test_looks_older_than_the_kept_days_are_forgotten(seeker: Account, pg_url: str) -> None:
    coach = add(AccountRole.COACH)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO share (seeker_id, coach_id, created_at) VALUES (%s, %s, now())",
            (seeker.id, coach.id),
        )
        conn.execute(
            "INSERT INTO coach_look (seeker_id, coach_id, coach_email, what, day, first_at,"
            " last_at) VALUES (%s, %s, %s, 'plan', current_date - 400, now() - interval"
            " '400 days', now() - interval '400 days')",
            (seeker.id, coach.id, coach.email),
        )
    caseload_of(coach)
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT what FROM coach_look WHERE seeker_id = %s", (seeker.id,)
        ).fetchall()
    assert rows == [("caseload",)]


def test_the_caseload_reads_every_seeker_in_the_same_few_queries(
    monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    """Set-based: as many statements for six seekers as for two, even right after each of
    them wrote (their follow-ups were timed with the write, not at the look)."""
    configure(monkeypatch, pg_url)
    coach = add(AccountRole.COACH)
    gate = bootstrap.server_gate(pool_size=1)
    assert gate.coach is not None
    run = psycopg.Cursor.execute
    statements: list[str] = []

    def counted(self: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(query))
        return run(self, query, *args, **kwargs)

    def statements_of_caseload() -> tuple[int, int]:
        coaching.caseload(gate.coach, coach)  # type: ignore[arg-type]
        for s in seekers:
            app = next(iter(list_applications(gate.deps_for(s.id), None, datetime.now(UTC))))
            edit_application(gate.deps_for(s.id), app.application.id, ApplicationEdit(notes="x"))
        statements.clear()
        with monkeypatch.context() as m:
            m.setattr(psycopg.Cursor, "execute", counted)
            rows = coaching.caseload(gate.coach, coach)  # type: ignore[arg-type]
        return len(rows), len(statements)

    seekers: list[Account] = []
    try:
        counts: list[tuple[int, int]] = []
        for _ in range(2):
            for _ in range(2 if not counts else 4):
                s = add()
                seekers.append(s)
                import_data(gate.deps_for(s.id), sample(datetime.now(UTC), ZoneInfo("UTC")))
                coaching.share(gate.coach, s, coach.email)
            counts.append(statements_of_caseload())
    finally:
        gate.close()
    (two, few), (six, same) = counts
    assert (two, six) == (2, 6)
    assert few == same <= 10  # the pool's checks, the seekers, the log, the plan
