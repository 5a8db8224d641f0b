"""The rules' second version at the command line, and the defects a new user found."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.cli import APP, User, interviewed
from tests.e2e.test_cli_process import FOLLOWUP, run

NOW = "2026-03-20T09:00:00+00:00"


def searching(tmp_path: Path) -> User:
    """Applied at Acme on 2 Mar 2026 with an HR contact, no interview yet."""
    user = User(tmp_path / "f.db", now=NOW)
    user.run("add", "Acme", "Backend Engineer", "--applied", "2026-03-02")
    user.run("contact", "add", APP, "Rui Lopes", "--role", "hr", "--email", "rui@acme.example",
             "--confirmed")  # fmt: skip
    return user


def test_r18_listed_drafted_and_done(tmp_path: Path) -> None:
    user = searching(tmp_path)
    plan = user.json("plan")
    (follow_up,) = [a for a in plan["actions"] if a["kind"] == "application_follow_up"]
    assert (follow_up["due"], follow_up["rule"], follow_up["channel"]) == (
        "2026-03-16", "R18", "email",
    )  # fmt: skip
    today = user.run("today").stdout
    assert "Follow up on your application: Rui Lopes (Acme, Backend Engineer)" in today
    assert f"followup draft status:{APP}" in today
    draft = user.run("draft", f"status:{APP}").stdout
    assert draft.startswith("To: Rui Lopes <rui@acme.example>\nSubject: My application for")
    assert "applied for the Backend Engineer position at Acme on Mon 2 Mar 2026" in draft
    user.run("done", f"status:{APP}")
    after = user.json("show", APP)
    assert after["status"] == "active"
    (give_up,) = [
        a for a in user.json("plan", "--horizon", "30")["actions"] if a["kind"] == "give_up"
    ]
    assert (give_up["rule"], give_up["due"]) == ("R19", "2026-04-01")


def test_r19_give_up_done_sets_no_response(tmp_path: Path) -> None:
    user = searching(tmp_path)
    later = "--now=2026-04-02T09:00:00+00:00"
    (give_up,) = [a for a in user.json("plan", later)["actions"] if a["kind"] == "give_up"]
    done = user.run("done", give_up["id"], later).stdout
    assert "no response" in done
    assert "R19" in done
    assert user.json("show", APP, later)["status"] == "no_response"


def test_r20_withdraw_by_email_sets_withdrawn(tmp_path: Path) -> None:
    user = searching(tmp_path)
    user.run("add", "Initech", "Engineer", "--applied", "2026-03-01")
    user.run("status", "initech-engineer", "accepted")
    plan = user.json("plan")
    kinds = {a["kind"] for a in plan["actions"]}
    assert "apply_more" not in kinds
    (withdraw,) = [a for a in plan["actions"] if a["kind"] == "withdraw"]
    assert (withdraw["due"], withdraw["rule"], withdraw["overdue"]) == ("2026-03-20", "R20", False)
    draft = user.run("draft", withdraw["id"]).stdout
    assert "accepted another offer" in draft
    assert "Withdrawing my application" in draft
    assert "withdrawn" in user.run("done", withdraw["id"]).stdout
    assert user.json("show", APP)["status"] == "withdrawn"
    assert user.run("doctor").exit_code == 0


def test_explain_names_the_holiday_and_the_company_spacing(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now="2026-04-10T09:00:00+00:00")
    user.run("config", "set", "country", "PT")
    for position in ("Backend Engineer", "Data Engineer"):
        user.run("add", "Acme", position, "--applied", "2026-03-01")
        slug = "acme-" + position.lower().replace(" ", "-")
        user.run("contact", "add", slug, "Ana Sousa", "--email", "ana@acme.example", "--confirmed")
        user.run("interview", slug, "2026-03-20 10:00", "--with", "ana-sousa",
                 "--every-applicant", "yes", "--direct", "yes")  # fmt: skip
    first = user.run("explain", "status:acme-backend-engineer").stdout
    assert "due Fri 27 Mar 2026" in first
    second = user.run("explain", "status:acme-data-engineer").stdout
    assert "company spacing" in second
    assert "Fri 3 Apr 2026 is Good Friday" in second
    assert "due Mon 6 Apr 2026" in second


def test_a_snooze_says_it_set_the_date(tmp_path: Path) -> None:
    user = searching(tmp_path)
    user.run("snooze", APP, "2026-03-25")
    explained = user.run("explain", f"status:{APP}").stdout
    assert "you snoozed this application until Wed 25 Mar 2026" in explained
    assert "[snooze] the date is the one your snooze set" in explained


def test_config_shows_the_new_keys_with_their_rules_and_ranges(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db")
    shown = user.json("config", "show")
    assert (shown["application_follow_up_days"], shown["max_application_follow_ups"]) == (14, 1)
    assert shown["stale_after_days"] == 30
    text = user.run("config", "show").stdout
    assert "R18" in text
    assert "R19" in text
    assert "0 to 3650" in text
    user.run("config", "set", "stale_after_days", "0")
    bad = user.run("config", "set", "max_application_follow_ups", "0", ok=False)
    assert bad.exit_code == 4


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    for i in range(40):
        assert run("--db", db, "add", f"Company {i}", "Engineer").returncode == 0
    shell = f"{FOLLOWUP} --db {db} plan --horizon 60 | head -2"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    assert done.returncode in (0, 141)
    assert len(done.stdout.splitlines()) == 2


def test_now_takes_a_plain_date_in_the_users_zone(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db")
    user.run("config", "set", "timezone", "Asia/Kolkata")
    plan = user.json("plan", "--now", "2026-03-09")
    assert plan["now"] == "2026-03-09T00:00:00+05:30"
    assert plan["today"] == "2026-03-09"
    naive = user.json("plan", "--now", "2026-03-09T08:30")
    assert naive["now"] == "2026-03-09T08:30:00+05:30"
    bad = user.run("plan", "--now", "monday", ok=False)
    assert bad.exit_code == 4


def test_db_in_a_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "followup.db"
    done = run("--db", str(missing), "today")
    assert done.returncode == 6
    assert done.stderr.startswith(f"followup: {missing}: the folder {missing.parent} does not")
    assert not missing.parent.exists()
    env = run("today", env={"FOLLOWUP_DB": str(missing)})
    assert env.returncode == 6


def test_a_future_applied_date_is_refused(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now=NOW)
    bad = user.run("add", "Acme", "Dev", "--applied", "2026-04-01", ok=False)
    assert bad.exit_code == 4
    assert "in the future" in bad.stderr
    assert user.json("list") == []


@pytest.mark.parametrize(
    ("dismissed", "message"),
    [
        ("status:x", "cannot be dismissed"),
        ("nonsense", "cannot be dismissed"),
        ("debrief:other:iv1", "another application"),
        ("debrief:a:iv9", "names no interview"),
        ("thank_you_email:a:iv1:bob", "names no contact"),
    ],
)
def test_import_refuses_dismissals_that_cannot_be(
    tmp_path: Path, dismissed: str, message: str
) -> None:
    data = {
        "format": "followup/1",
        "applications": [
            {
                "id": "a",
                "company": "Acme",
                "position": "Dev",
                "interviews": [{"id": "iv1", "at": "2026-03-02T10:00:00+00:00"}],
                "dismissed": ["debrief:a:iv1", dismissed],
            }
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    user = User(tmp_path / "f.db", now=NOW)
    bad = user.run("import", str(path), ok=False)
    assert bad.exit_code == 5
    assert "in.json: applications[0].dismissed[1]: " in bad.stderr
    assert message in bad.stderr
    assert user.json("list") == []


def test_import_refuses_control_characters_as_add_does(tmp_path: Path) -> None:
    name = "Acme\x1b[2J"
    user = User(tmp_path / "f.db", now=NOW)
    added = user.run("add", name, "Dev", ok=False)
    data = {"format": "followup/1", "applications": [{"id": "a", "company": name, "position": "D"}]}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    imported = user.run("import", str(path), ok=False)
    assert added.exit_code == 4
    assert imported.exit_code == 5
    assert "control character" in added.stderr
    assert "applications[0].company: contains a control character" in imported.stderr


def test_thank_you_after_a_rejection(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "f.db", "2026-03-03T09:00:00+00:00", "2026-03-02 10:00",
                       "--email", "ana@acme.example")  # fmt: skip
    user.run("status", APP, "rejected")
    user.now = "2026-03-05T09:00:00+00:00"
    action = f"thank_you_email:{APP}:iv1:ana-sousa"
    draft = user.run("draft", action).stdout
    assert "your decision" not in draft
    assert "not go further" in draft
    done = user.run("done", action).stdout
    assert "is now" not in done


def test_a_draft_with_no_address_says_so_plainly(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "f.db", "2026-03-05T09:00:00+00:00")
    draft = user.run("draft", f"thank_you_email:{APP}:iv1:ana-sousa").stdout
    assert draft.splitlines()[0] == (
        "To: Ana Sousa (no email address recorded: add one with followup contact edit)"
    )


def test_dismissing_apply_more_says_what_to_do(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now=NOW)
    bad = user.run("dismiss", "apply_more:2026-03-20", ok=False)
    assert bad.exit_code == 8
    assert "None" not in bad.stderr
    assert "followup add COMPANY POSITION" in bad.stderr


def test_an_interview_id_taken_reads_well(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "f.db", "2026-03-05T09:00:00+00:00")
    bad = user.run("interview", APP, "2026-03-10 10:00", "--id", "iv1", ok=False)
    assert "already has an interview 'iv1'" in bad.stderr


def test_a_preparation_for_later_today_is_not_late(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now="2026-03-10T08:00:00+00:00")
    user.run("add", "Acme", "Backend Engineer")
    user.run("interview", APP, "2026-03-10 15:00")
    today = user.run("today").stdout
    assert "Mon 9 Mar 2026 (the interview is today)  Prepare the interview" in today
    assert "late" not in today


def test_call_prompts_offer_no_empty_choice(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "f.db", "2026-03-09T09:00:00+00:00")
    done = user.run("call", APP, input="reached\n\n\n")
    assert "Have they decided? (undecided, rejected, offer; empty: they did not say):" in (
        done.stdout
    )
    assert "(, undecided" not in done.stdout


def test_debrief_asks_only_what_is_still_open(tmp_path: Path) -> None:
    user = interviewed(tmp_path / "f.db", "2026-03-03T09:00:00+00:00")
    done = user.run("debrief", APP, input="\n\n\n")
    assert "get back to every applicant" not in done.stdout  # answered by interviewed()
    assert "contact them directly" not in done.stdout
    assert "Best days and hours to call" in done.stdout


def test_r18_by_phone_is_a_call(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now=NOW)
    user.run("add", "Acme", "Backend Engineer", "--applied", "2026-03-02")
    user.run("contact", "add", APP, "Rui Lopes", "--role", "hr", "--phone", "+351 912 345 678",
             "--confirmed")  # fmt: skip
    assert f"next: followup call {APP}" in user.run("today").stdout
    called = user.run("call", APP, input="no_answer\n").stdout
    assert "Ask for Rui Lopes (HR)." in called
    assert "Recorded: status call to Rui Lopes: no answer." in called
    (give_up,) = [
        a for a in user.json("plan", "--horizon", "30")["actions"] if a["kind"] == "give_up"
    ]
    assert give_up["rule"] == "R19"


def test_r10_a_borrowed_hr_contact_is_drafted_to_and_logged_without_error(tmp_path: Path) -> None:
    user = searching(tmp_path)
    user.run("add", "acme ", "Data Engineer", "--applied", "2026-03-09")
    other = "acme-data-engineer"
    action = next(
        a for a in user.json("plan", "--horizon", "30")["actions"] if a["application"] == other
    )
    assert action["kind"] == "application_follow_up"
    assert (action["contact"], action["contact_application"]) == ("rui-lopes", APP)
    assert user.run("draft", action["id"], "--now=2026-03-30T09:00:00+00:00").stdout.startswith(
        "To: Rui Lopes <rui@acme.example>"
    )
    user.run("log", other, "sent")
    assert user.run("doctor").exit_code == 0
