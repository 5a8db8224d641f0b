"""The new actions (R18, R19, R20) where the old ones are: Today, Week, the calendar and
the digest; and error pages that speak to a browser user."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar

from followup import bootstrap
from followup.domain.digest import text as digest_text
from followup.domain.model import Role, Status
from followup.services import agenda, applications, contacts, digest
from followup.services.session import Deps
from tests.web_support import site

NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


def search(deps: Deps) -> None:
    applications.add_application(
        deps, "Acme", "Backend Engineer", applied_on=NOW.date().replace(day=2), now=NOW
    )
    contacts.add_contact(
        deps,
        "acme-backend-engineer",
        contacts.ContactInput(name="Rui Lopes", role=Role.HR, email="rui@acme.example"),
        now=NOW,
    )


def test_today_and_week_show_an_application_follow_up_and_a_withdrawal(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    deps = bootstrap.build(str(web.db), clock=web.clock)
    search(deps)
    with web.client() as c:
        today = c.get("/").text
        assert "Follow up on your application" in today
        assert "Open the draft" in today
        applications.add_application(deps, "Initech", "Engineer", applied_on=NOW.date(), now=NOW)
        applications.set_status(deps, "initech-engineer", Status.ACCEPTED, now=NOW)
        today = c.get("/").text
        assert "Withdraw, kindly" in today
        assert "Apply to more jobs" not in today
        assert "Withdraw, kindly" in c.get("/week").text
    deps.store.close()  # type: ignore[attr-defined]


def test_the_calendar_and_the_digest_carry_the_new_kinds(tmp_path: Path) -> None:
    deps = bootstrap.build(str(tmp_path / "c.db"), NOW)
    search(deps)
    summaries = {
        str(e["SUMMARY"]) for e in Calendar.from_ical(agenda.calendar(deps, NOW)).walk("VEVENT")
    }
    assert "Follow up on your application: Rui Lopes (Acme, Backend Engineer)" in summaries
    made = digest.make(deps, NOW, remember=False)
    assert "Follow up on your application" in digest_text(made)


def test_a_missing_page_names_no_command(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    with web.client() as c:
        page = c.get("/applications/nope")
    assert page.status_code == 404
    assert "followup " not in page.text.split("<main", 1)[-1]
    assert "nope" in page.text


def test_settings_offer_the_new_keys_with_their_rules_and_ranges(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    with web.client() as c:
        page = c.get("/settings").text
    for key in ("application_follow_up_days", "max_application_follow_ups", "stale_after_days"):
        assert f'name="{key}"' in page
    assert (
        'id="setting-stale_after_days" name="stale_after_days" value="30" type="number" min="0"'
        in page
    )
    assert 'name="max_application_follow_ups" value="1" type="number" min="1"' in page
    assert "R18" in page
    assert "R19" in page
