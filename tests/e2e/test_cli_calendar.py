"""followup ics, feed and digest, as a user runs them (the clock moved by --now)."""

from __future__ import annotations

import stat
from pathlib import Path

from icalendar import Calendar

from tests.e2e.cli import APP, User, interviewed

MONDAY = "2026-03-09T08:00:00+00:00"


def test_ics_writes_a_private_file_or_prints_to_stdout(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "c.db", MONDAY)
    out = tmp_path / "plan.ics"
    result = user.run("ics", str(out))
    assert f"Wrote {out}." in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert user.run("ics").stdout_bytes == out.read_bytes()
    uids = {str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert f"status:{APP}@followup" in uids
    assert f"interview:{APP}:iv1@followup" in uids
    friday = "--now=2026-03-06T08:00:00+00:00"  # the call is due on Monday
    soon = Calendar.from_ical(user.run("ics", "--days", "0", friday).stdout_bytes)
    assert f"status:{APP}@followup" not in {str(e["UID"]) for e in soon.walk("VEVENT")}


def test_ics_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "c.db", MONDAY)
    result = user.run("ics", str(tmp_path / "nowhere" / "plan.ics"), ok=False)
    assert result.exit_code == 4
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_feed_is_made_shown_once_and_turned_off(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now=MONDAY)
    assert "No calendar feed" in user.run("feed").stdout
    made = user.run("feed", "new", "--url", "http://127.0.0.1:9000/", "--phones")
    url = made.stdout.strip()
    assert url.startswith("http://127.0.0.1:9000/calendar/")
    assert url.endswith(".ics")
    assert "shown only this once" in made.stderr
    status = user.run("feed").stdout
    assert "A calendar feed exists since Mon 9 Mar 2026 (showing the plan, phones)." in status
    assert url.rsplit("/", 1)[1] not in status
    assert "no longer works" in user.run("feed", "off").stdout
    assert "There was no calendar feed." in user.run("feed", "off").stdout


def test_the_digest_across_days_forward_and_back(tmp_path: Path) -> None:
    """Interview on Mon 2 Mar; the first status call is due Mon 9 Mar (R6)."""
    user = interviewed(tmp_path / "d.db", "2026-03-06T08:00:00+00:00")
    friday = user.run("digest").stdout
    assert "This is your first digest." in friday
    assert f"Mon 9 Mar 2026  Call for news: Ana Sousa (Acme, Backend Engineer)  [status:{APP}]" in (
        friday
    )
    # Monday: nothing new (the call was listed on Friday), and it is due today.
    user.now = MONDAY
    monday = user.json("digest")
    assert [a["id"] for a in monday["due_today"]] == ["apply_more:2026-03-09", f"status:{APP}"]
    assert not any(a["new"] for a in monday["due_today"])
    # A week without digests (the machine slept): the call is overdue, still listed.
    user.now = "2026-03-16T08:00:00+00:00"
    later = user.run("digest").stdout
    assert "  Mon 9 Mar 2026 (7 days late)  Call for news" in later
    assert "Nothing new since the last digest (Mon 9 Mar 2026 08:00)." in later
    # A call with no answer moves the next one a week on (R13): news, marked once.
    user.run("log", APP, "no_answer")
    user.now = "2026-03-23T08:00:00+00:00"
    peeked = user.run("digest", "--peek").stdout
    assert "New since the last digest (Mon 16 Mar 2026 08:00): 1, marked *." in peeked
    assert "* Mon 23 Mar 2026  Call for news: Ana Sousa" in peeked
    week_on = user.json("digest")
    assert [(a["id"], a["new"]) for a in week_on["due_today"] if a["kind"] != "apply_more"] == [
        (f"status:{APP}", True)
    ]
    again = user.json("digest")
    assert not any(a["new"] for a in again["overdue"] + again["due_today"] + again["coming"])
    # The clock moved back to Friday: what is due then is listed; nothing breaks.
    user.now = "2026-03-06T08:00:00+00:00"
    back = user.run("digest").stdout
    assert "Your follow-ups for Fri 6 Mar 2026" in back
    assert "Nothing new since the last digest (Mon 23 Mar 2026 08:00)." in back


def test_peek_shows_without_remembering(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "p.db", "2026-03-06T08:00:00+00:00")
    assert "This is your first digest." in user.run("digest", "--peek").stdout
    assert "This is your first digest." in user.run("digest").stdout
    assert "Nothing new since the last digest" in user.run("digest", "--peek").stdout


def test_sending_a_digest_needs_an_address(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "s.db", MONDAY)
    result = user.run("digest", "--send", ok=False)
    assert result.exit_code == 4
    assert "followup config set mail.address" in result.stderr
    both = user.run("digest", "--send", "--peek", ok=False)
    assert both.exit_code == 2
