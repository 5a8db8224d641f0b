"""The rules at the command line, as a user's probe of session 9 found them wanting."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli import User

NOW = "2026-11-29T10:00:00+00:00"  # a Sunday


def accepted_elsewhere(tmp_path: Path) -> User:
    """Two live applications at Acme (one HR contact) and an offer accepted at Globex."""
    user = User(tmp_path / "f.db", now=NOW)
    user.run("config", "set", "timezone", "Europe/Lisbon")
    for company, position in (("Acme", "Dev"), ("Acme", "Ops"), ("Globex", "PM")):
        user.run("add", company, position, "--applied", "2026-11-20")
    user.run("contact", "add", "acme-dev", "Rui", "--role", "hr", "--email", "rui@acme.example",
             "--confirmed")  # fmt: skip
    user.run("status", "globex-pm", "accepted")
    return user


def test_r20_withdrawals_at_one_company_do_not_warn_of_r13(tmp_path: Path) -> None:
    """R20 makes every withdrawal due today and step 8 does not space them: the second
    one, the same day at the same company, is no follow-up too many (R13)."""
    user = accepted_elsewhere(tmp_path)
    first = user.run("done", "status:acme-dev")
    second = user.run("done", "status:acme-ops")
    assert "R13" not in first.stderr + second.stderr
    assert "acme-ops is now withdrawn." in second.stdout


def test_r20_a_withdrawal_logged_by_hand_does_not_warn_of_r13_either(tmp_path: Path) -> None:
    user = accepted_elsewhere(tmp_path)
    user.run("done", "status:acme-dev")
    assert user.json("log", "acme-ops", "sent")["warnings"] == []


def test_r20_after_a_withdrawal_no_word_of_applying_elsewhere(tmp_path: Path) -> None:
    """An accepted offer ends the search (R20): no "keep applying" (R9) once withdrawn."""
    user = accepted_elsewhere(tmp_path)
    out = user.run("done", "status:acme-dev").stdout
    assert "acme-dev is now withdrawn." in out
    assert "R9" not in out
    assert "Keep applying" not in out
    assert "accepted another offer" in out


def test_r20_a_status_set_by_hand_after_an_accepted_offer_says_no_r9(tmp_path: Path) -> None:
    """`status X withdrawn` once another offer is accepted: the search is over (R20)."""
    user = accepted_elsewhere(tmp_path)
    out = user.run("status", "acme-ops", "withdrawn").stdout
    assert "acme-ops is now withdrawn." in out
    assert "R9" not in out
    assert "accepted another offer" in out
    lone = User(tmp_path / "lone.db", now=NOW)  # with no offer accepted, R9 as before
    lone.run("add", "Initech", "QA", "--applied", "2026-11-20")
    assert "(R9)" in lone.run("status", "initech-qa", "rejected").stdout


def applied(tmp_path: Path) -> User:
    user = User(tmp_path / "f.db", now=NOW)
    user.run("add", "Acme", "Dev", "--applied", "2026-11-20")
    user.run("contact", "add", "acme-dev", "Rui", "--role", "hr", "--phone", "+351 912 345 678",
             "--confirmed")  # fmt: skip
    return user


def test_after_the_company_answers_it_says_what_is_next_not_that_it_is_over(
    tmp_path: Path,
) -> None:
    """RULES.md, "Before any interview": with a company answer and no interview, the
    candidate records the interview or closes the application; the process is not over."""
    out = applied(tmp_path).run("log", "acme-dev", "reached").stdout
    assert "Nothing more to do here" not in out
    assert "Keep applying elsewhere" not in out
    assert "record the interview when it is set" in out
    assert "followup interview acme-dev WHEN" in out


def test_an_offer_is_congratulated_and_waits_for_an_answer(tmp_path: Path) -> None:
    """R15: an offer stops the follow-ups; what is left is to accept it or decline it."""
    out = applied(tmp_path).run("log", "acme-dev", "reached", "--decision", "offer").stdout
    assert "acme-dev is now offer." in out
    assert "Nothing more to do here" not in out
    assert "congratulations" in out
    assert "followup status acme-dev accepted, or withdrawn" in out


def test_a_rejection_still_says_to_keep_going(tmp_path: Path) -> None:
    out = applied(tmp_path).run("log", "acme-dev", "reached", "--decision", "rejected").stdout
    assert "Nothing more to do here" in out
    assert "(R9)" in out


def test_a_snoozed_follow_up_names_the_rule_that_placed_it(tmp_path: Path) -> None:
    """FORMAT.md: ``rule`` is the rule that set the due date; a snooze overrode R13's."""
    user = User(tmp_path / "f.db", now=NOW)
    for position in ("Dev", "Ops"):
        user.run("add", "Acme", position, "--applied", "2026-11-02")
    user.run("contact", "add", "acme-dev", "Rui", "--role", "hr", "--email", "rui@acme.example",
             "--confirmed")  # fmt: skip
    user.run("log", "acme-ops", "sent", "--contact", "rui", "--at", "2026-11-27 10:00")
    assert user.json("explain", "status:acme-dev")["rule"] == "R13"
    user.run("snooze", "acme-dev", "2026-12-20")
    explained = user.json("explain", "status:acme-dev")
    assert (explained["due"], explained["rule"]) == ("2026-12-21", "R18")
    assert "(R13)" not in user.run("explain", "status:acme-dev").stdout.splitlines()[0]


def test_r11_a_weekend_window_is_warned_of_and_explained(tmp_path: Path) -> None:
    user = User(tmp_path / "f.db", now="2026-12-07T10:00:00+00:00")
    user.run("add", "Acme", "Dev", "--applied", "2026-11-20")
    user.run("contact", "add", "acme-dev", "Ana", "--role", "interviewer", "--phone",
             "+351 912 345 678", "--confirmed")  # fmt: skip
    user.run("interview", "acme-dev", "2026-12-04 10:00", "--with", "ana",
             "--every-applicant", "yes", "--direct", "yes")  # fmt: skip
    saved = user.run("debrief", "acme-dev", "--window", "sat,sun 10-12")
    assert "Warning: R11:" in saved.stderr
    assert "Sat, Sun" in saved.stderr
    explained = user.run("explain", "status:acme-dev").stdout
    assert "no business day" in explained
    today = user.run("today", "--now", "2026-12-11T10:00:00+00:00").stdout
    assert "Call for news: Ana (Acme, Dev)" in today
    assert "Call for news: Ana (Acme, Dev), Sat, Sun" not in today
    weekday = user.run("debrief", "acme-dev", "--window", "tue 10-12")
    assert "Warning" not in weekday.stderr


def test_the_digest_s_coming_week_is_today_s_seven_days(tmp_path: Path) -> None:
    """README: "this week" is the seven days after today, on Today, Week and the digest."""
    user = User(tmp_path / "f.db", now="2026-11-30T09:00:00+00:00")
    user.run("add", "Acme", "Dev", "--applied", "2026-11-20")
    user.run("contact", "add", "acme-dev", "Rui", "--role", "hr", "--email", "rui@acme.example",
             "--confirmed")  # fmt: skip
    user.run("interview", "acme-dev", "2026-12-07 15:00", "--with", "rui")
    # Preparation due Sun 6 Dec; R18's follow-up gone (an interview is set). Add one due
    # on the seventh day: a second interview's preparation, the day before Tue 8 Dec.
    user.run("interview", "acme-dev", "2026-12-08 15:00")
    today = user.run("today").stdout
    assert "Mon 7 Dec 2026" in today
    digest = user.run("digest", "--peek").stdout
    assert "Coming up (next 7 days)" in digest
    assert "Mon 7 Dec 2026" in digest
    interviews = digest[digest.index("Interviews") :]
    assert "Mon 7 Dec 2026 15:00" in interviews
