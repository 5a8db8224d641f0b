"""The correction forms of the application page (issue 8), posted as the page renders them.

Each test reads the form from the page, changes what a user would change and sends the
rest as it came, so a field the page forgets or misnames shows up here. A refusal comes
back beside its field, its disclosure open, what was typed still there, nothing written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.services import interviews, settings
from tests.web.acme import acme_site
from tests.web.page_parts import Form, element, form, forms
from tests.web_support import Site

APP = "/applications/acme-backend"


@pytest.fixture
def acme(tmp_path: Path) -> Site:
    return acme_site(tmp_path)


def page(c: TestClient, path: str = APP) -> str:
    response = c.get(path)
    assert response.status_code == 200
    return response.text


def send(c: TestClient, f: Form, **changes: str | list[str]) -> Any:
    return c.post(f.action, data=f.data(**changes), follow_redirects=False)


def api(c: TestClient, app_id: str = "acme-backend") -> Any:
    return c.get(f"/api/applications/{app_id}").json()


def confirmed(c: TestClient, response: Any) -> str:
    """After a form: back to the page, which confirms the change with its Undo button."""
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == APP
    html = page(c)
    box = re.search(r'<div class="flash".*?</div>', html, re.S)
    assert box is not None
    assert 'action="/undo"' in box.group(0)
    return html


def above_the_page(html: str) -> str:
    """What stands between the title and the page's columns: no refusal belongs there."""
    return html.partition("</h1>")[2].partition('id="edit-application"')[0]


def test_editing_the_application_keeps_what_the_form_did_not_change(acme: Site) -> None:
    with acme.client() as c:
        before = api(c)
        edit = form(page(c), f"{APP}/edit")
        posting = "Backend Engineer, Lisbon\n\nWe build payments.\nPython, SQL."
        html = confirmed(c, send(c, edit, company="Acme Corp", posting=posting))
        after = api(c)
        assert (after["company"], after["posting"]) == ("Acme Corp", posting)
        for kept in ("position", "applied_on", "link", "source", "notes"):
            assert after[kept] == before[kept], kept
        # The ad, folded under the title with its first lines as the summary.
        folded = element(html, "details", "posting")
        assert "<summary>The job posting: " in folded
        assert "Backend Engineer, Lisbon · We build payments." in folded
        assert "Python, SQL." in folded
        assert 'href="/companies/acme%20corp"' in html
        # Sent again untouched, the form changes nothing: no new entry, no confirmation.
        entries = len(c.get("/api/history").json()["entries"])
        again = send(c, form(html, f"{APP}/edit"))
        assert again.status_code == 303
        assert len(c.get("/api/history").json()["entries"]) == entries


def test_a_refused_edit_shows_beside_its_field_with_what_was_typed(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        edit = form(page(c), f"{APP}/edit")
        refused = send(c, edit, company="Acme Typo", position="  ", applied_on="31 Feb")
        assert refused.status_code == 422
        html = refused.text
        box = element(html, "details", "edit-application")
        assert box.startswith('<details class="form" id="edit-application" open>')
        assert 'name="company" value="Acme Typo"' in box  # what was typed is kept
        assert re.search(r'class="error" role="alert">[^<]*31 Feb', box)
        assert 'role="alert"' not in above_the_page(html)
        other = send(c, edit, position="  ")
        assert re.search(
            r'name="position" value="  "[^>]*aria-invalid="true">\s*</label>\s*'
            r'<p class="error" role="alert">position cannot be empty',
            other.text,
        )
    assert acme.snapshot() == before


def test_rescheduling_an_interview_and_its_interviewers(acme: Site) -> None:
    with acme.client() as c:
        html = page(c)
        entry = element(html, "li", "interview-iv1")
        assert 'value="Mon 16 Feb 2026 10:00"' in entry  # as the app writes it
        change = form(html, f"{APP}/interviews/iv1")
        done = confirmed(c, send(c, change, at="Tue 17 Feb 2026 14:30", notes="a panel of 3"))
        iv = api(c)["interviews"][0]
        assert (iv["at"], iv["notes"], iv["interviewers"]) == (
            "2026-02-17T14:30:00Z",
            "a panel of 3",
            ["ana-sousa"],
        )
        assert "Tue 17 Feb 2026 14:30" in element(done, "li", "interview-iv1")
        confirmed(c, send(c, form(done, f"{APP}/interviews/iv1"), interviewers=[]))
        assert api(c)["interviews"][0]["interviewers"] == []


def test_a_refused_reschedule_comes_back_open_beside_when(acme: Site) -> None:
    deps = bootstrap.build(str(acme.db), clock=acme.clock)
    at = interviews.InterviewInput(at=datetime(2026, 2, 20, 15, tzinfo=UTC), interviewers=())
    interviews.record_interview(deps, "acme-backend", at)
    deps.store.close()  # type: ignore[attr-defined]
    before = acme.snapshot()
    with acme.client() as c:
        change = form(page(c), f"{APP}/interviews/iv1")
        for typed, message in [
            ("31 Feb 10:00", "is not a date and time"),
            ("Fri 20 Feb 2026 15:00", "already has interview iv2 at that time"),
        ]:
            refused = send(c, change, at=typed, interviewers=[])
            assert refused.status_code == 422
            entry = element(refused.text, "li", "interview-iv1")
            assert '<details class="edit" open>' in entry
            assert f'name="at" value="{typed}"' in entry
            assert message in entry
            assert 'name="interviewers" value="ana-sousa" checked' not in entry  # as sent
            assert '<details class="edit">' in element(refused.text, "li", "interview-iv2")
            assert 'role="alert"' not in above_the_page(refused.text)
    assert acme.snapshot() == before


def test_cancel_an_interview_then_reschedule_it_back(acme: Site) -> None:
    with acme.client() as c:
        cancel = form(page(c), f"{APP}/interviews/iv1/cancel")
        html = confirmed(c, send(c, cancel))
        assert api(c)["interviews"][0]["cancelled"] is True
        entry = element(html, "li", "interview-iv1")
        assert 'class="interview cancelled"' in entry
        assert "(cancelled)" in entry
        assert "Reschedule or restore" in entry
        back = form(html, f"{APP}/interviews/iv1")
        assert ("cancelled", "no") in back.fields
        confirmed(c, send(c, back, at="Wed 18 Feb 2026 11:00"))
        iv = api(c)["interviews"][0]
        assert (iv["cancelled"], iv["at"]) == (False, "2026-02-18T11:00:00Z")


def test_delete_an_interview_entered_twice(acme: Site) -> None:
    with acme.client() as c:
        confirmed(c, send(c, form(page(c), f"{APP}/interviews/iv1/delete")))
        assert api(c)["interviews"] == []


def test_correcting_a_touch(acme: Site) -> None:
    with acme.client() as c:
        html = page(c)
        correct = form(html, f"{APP}/touches/t1")
        sent = dict(correct.fields)
        assert (sent["outcome"], sent["channel"], sent["purpose"]) == ("sent", "email", "thank_you")
        assert sent["at"] == "Tue 17 Feb 2026 09:00"
        confirmed(
            c,
            send(
                c,
                correct,
                outcome="reached",
                channel="phone",
                purpose="status",
                contact="ana-sousa",
                decision="undecided",
                decision_by="Fri 6 Mar 2026",
                vacancies="SRE",
                notes="they liked the portfolio",
            ),
        )
        t = api(c)["touches"][0]
        assert (t["outcome"], t["channel"], t["purpose"], t["contact"]) == (
            "reached",
            "phone",
            "status",
            "ana-sousa",
        )
        assert (t["decision"], t["decision_by"], t["vacancies"], t["notes"]) == (
            "undecided",
            "2026-03-06",
            "SRE",
            "they liked the portfolio",
        )
        assert t["at"] == "2026-02-17T09:00:00Z"  # sent back as shown: unchanged


def test_a_refused_touch_correction_and_then_its_deletion(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        correct = form(page(c), f"{APP}/touches/t1")
        refused = send(c, correct, channel="phone", notes="typed, not lost")
        assert refused.status_code == 422
        entry = element(refused.text, "li", "touch-t1")
        assert '<details class="edit" open>' in entry
        assert re.search(r'<option value="phone" selected>', entry)
        assert "typed, not lost</textarea>" in entry
        outcome = entry.partition('name="outcome"')[2].partition('name="channel"')[0]
        assert 'class="error"' in outcome  # beside "What happened"
        assert acme.snapshot() == before
        confirmed(c, send(c, form(page(c), f"{APP}/touches/t1/delete")))
        assert api(c)["touches"] == []


def test_deleting_a_contact_is_refused_beside_it_while_it_is_used(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        delete = form(page(c), f"{APP}/contacts/ana-sousa/delete")
        refused = send(c, delete)
        assert refused.status_code == 422
        contact = element(refused.text, "li", "contact-ana-sousa")
        assert '<details class="edit" open>' in contact
        assert "Ana Sousa (ana-sousa) is used by interview iv1" in contact
        assert 'role="alert"' not in above_the_page(refused.text)
        assert acme.snapshot() == before
        unused = form(page(c), f"{APP}/contacts")
        send(c, unused, name="Rui Lopes", role="hr")
        confirmed(c, send(c, form(page(c), f"{APP}/contacts/rui-lopes/delete")))
        assert [p["id"] for p in api(c)["contacts"]] == ["ana-sousa"]


def test_delete_this_application_leads_to_the_confirmation(acme: Site) -> None:
    with acme.client() as c:
        html = page(c)
        link = re.search(r'<a class="button danger" href="([^"]+)">Delete this application', html)
        assert link is not None
        assert link.group(1) == f"{APP}/delete"
        assert html.index("Delete this application") > html.index('id="status"')  # at the end
        ask = page(c, link.group(1))
        assert "Delete Acme <small>Backend Engineer</small>?" in ask
        assert api(c)["id"] == "acme-backend"  # asking deletes nothing


def test_every_form_of_the_page_needs_its_csrf_token(acme: Site) -> None:
    before = acme.snapshot()
    with acme.client() as c:
        found = [f for f in forms(page(c)) if f.action.startswith(APP)]
        assert len(found) >= 12
        for f in found:
            assert any(name == "csrf_token" for name, _ in f.fields), f.action
            data = {k: v for k, v in f.data().items() if k != "csrf_token"}
            response = c.post(f.action, data=data, follow_redirects=False)
            assert response.status_code == 403, f.action
    assert acme.snapshot() == before


def test_a_today_card_links_to_its_company(acme: Site) -> None:
    with acme.client() as c:
        html = page(c, "/")
        assert re.search(
            r'<a href="/companies/acme" title="Everything at Acme">Acme</a> · '
            r'<a href="/applications/acme-backend">Backend Engineer</a>',
            html,
        )
        assert c.get("/companies/acme").status_code == 200


def test_restore_a_cancelled_interview_as_it_was(acme: Site) -> None:
    with acme.client() as c:
        html = confirmed(c, send(c, form(page(c), f"{APP}/interviews/iv1/cancel")))
        restore = form(html, f"{APP}/interviews/iv1/cancel")
        assert ("cancelled", "no") in restore.fields
        confirmed(c, send(c, restore))
        iv = api(c)["interviews"][0]
        assert (iv["cancelled"], iv["at"]) == (False, "2026-02-16T10:00:00Z")


def test_a_form_whose_record_is_gone_says_so_under_the_title(acme: Site) -> None:
    """Deleted in another tab: there is no field left to put the message beside."""
    with acme.client() as c:
        correct = form(page(c), f"{APP}/touches/t1")
        confirmed(c, send(c, form(page(c), f"{APP}/touches/t1/delete")))
        before = acme.snapshot()
        stale = send(c, correct, notes="too late")
        assert stale.status_code == 422
        assert "acme-backend has no touch &#39;t1&#39;" in above_the_page(stale.text)
        assert acme.snapshot() == before


def test_notes_when_recording_a_call_or_an_interview(acme: Site) -> None:
    with acme.client() as c:
        html = page(c)
        call = form(html, f"{APP}/touches")
        confirmed(c, send(c, call, outcome="reached", notes="they liked the portfolio"))
        interview = form(page(c), f"{APP}/interviews")
        confirmed(c, send(c, interview, at="Tue 10 Mar 2026 15:00", notes="second round"))
        app = api(c)
        assert app["touches"][-1]["notes"] == "they liked the portfolio"
        assert app["interviews"][-1]["notes"] == "second round"
        html = page(c)
        assert '<p class="notes">second round</p>' in element(html, "li", "interview-iv2")


def test_an_hour_lived_twice_is_asked_about_then_kept_as_chosen(acme: Site) -> None:
    """Issue 11: the autumn change's 01:30 was taken as the first, silently."""
    deps = bootstrap.build(str(acme.db), clock=acme.clock)
    settings.set_value(deps, "timezone", "Europe/Lisbon")
    deps.store.close()  # type: ignore[attr-defined]
    with acme.client() as c:
        change = form(page(c), f"{APP}/interviews/iv1")
        refused = send(c, change, at="Sun 25 Oct 2026 01:30")
        assert refused.status_code == 422
        assert (
            "2026-10-25 01:30 happens twice in Europe/Lisbon (the clocks go back): write "
            "2026-10-25 01:30+01:00 for the first or 2026-10-25 01:30+00:00 for the second"
        ) in element(refused.text, "li", "interview-iv1")
        done = confirmed(c, send(c, change, at="2026-10-25 01:30+00:00"))
        assert api(c)["interviews"][0]["at"] == "2026-10-25T01:30:00Z"  # the second
        entry = element(done, "li", "interview-iv1")
        assert 'value="Sun 25 Oct 2026 01:30+00:00"' in entry  # the form says which
        confirmed(c, send(c, form(done, f"{APP}/interviews/iv1"), notes="sent as shown"))
        assert api(c)["interviews"][0]["at"] == "2026-10-25T01:30:00Z"  # kept, not moved


def test_forgetting_old_changes_from_the_history_page(acme: Site) -> None:
    with acme.client() as c:
        html = page(c, "/history")
        assert 'action="/undo"' in html
        f = form(html, "/history/forget")
        unticked = send(c, f, before="2026-03-03")  # the box left unticked: nothing forgotten
        assert unticked.status_code == 400
        assert "tick the box" in unticked.text
        assert send(c, f, before="sometime", understood="yes").status_code == 400
        assert page(c, "/history").count("change ") == html.count("change ")
        done = send(c, f, before="2026-03-03", understood="yes")
        assert done.status_code == 200
        assert "Forgot " in done.text
        assert "No change yet." in done.text
        assert 'action="/undo"' not in page(c, "/history")
        assert c.post("/undo", data=f.data()).status_code == 409  # nothing left to undo
        missing = c.post("/history/forget", data={"before": "2026-03-03", "understood": "yes"})
        assert missing.status_code == 403  # no CSRF token: refused like every form
