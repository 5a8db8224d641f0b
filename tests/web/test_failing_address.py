"""A bounced address in the web app: shown on the contact, cleared by a button or the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from followup import bootstrap
from followup.domain.model import Role
from followup.services import applications, contacts
from tests.web_support import Site, site, token

APP = "acme-dev"


def bounced_site(tmp_path: Path) -> Site:
    web = site(tmp_path)
    deps = bootstrap.build(str(web.db), web.clock.current)
    applications.add_application(deps, "Acme", "Dev", now=web.clock.current)
    contacts.add_contact(
        deps, APP, contacts.ContactInput("Ana Sousa", Role.HR, "ana@acme.example", None, True)
    )
    with deps.store.writing() as repo:  # as sync does on a delivery report
        app = repo.get(APP)
        assert app is not None
        (ana,) = app.contacts
        repo.put(replace(app, contacts=(replace(ana, email_failed_on=date(2026, 3, 5)),)))
    deps.store.close()  # type: ignore[attr-defined]
    return web


def test_the_page_shows_the_mark_and_its_button_clears_it(tmp_path: Path) -> None:
    web = bounced_site(tmp_path)
    with web.client() as c:
        page = c.get(f"/applications/{APP}").text
        assert "Mail to this address bounced on 2026-03-05" in page
        assert c.get(f"/api/applications/{APP}").json()["contacts"][0]["email_failed_on"] == (
            "2026-03-05"
        )
        done = c.post(
            f"/applications/{APP}/contacts/ana-sousa",
            data={"csrf_token": token(c), "email_ok": "yes"},
            follow_redirects=True,
        )
        assert done.status_code == 200
        assert "bounced on" not in c.get(f"/applications/{APP}").text


def test_the_api_clears_it_too(tmp_path: Path) -> None:
    web = bounced_site(tmp_path)
    with web.client() as c:
        patched = c.patch(
            f"/api/applications/{APP}/contacts/ana-sousa",
            json={"email_ok": True},
            headers={"x-csrf-token": token(c)},
        )
        assert patched.status_code == 200
        assert patched.json()["email_failed_on"] is None
        assert patched.json()["email"] == "ana@acme.example"
