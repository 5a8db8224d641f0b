"""A job search with followup, from the application to giving up, as the README tells it."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.cli import APP, User, interviewed

THANK_YOU = f"thank_you_email:{APP}:iv1:ana-sousa"


def test_a_whole_follow_up(tmp_path: Path) -> None:
    user = User(tmp_path / "search.db", now="2026-02-27T09:00:00+00:00")
    user.run("config", "set", "timezone", "Europe/Lisbon")
    user.run("config", "set", "country", "PT")
    user.run("config", "set", "name", "Maria Silva")

    added = user.json(
        "add", "Acme", "Backend Engineer", "--applied", "2026-02-25", "--source", "job board"
    )
    assert added["id"] == APP

    # R2: the name is read back; the phone is normalised with the country setting.
    out = user.run(
        "contact",
        "add",
        APP,
        "Ana Sosa",
        "--email",
        "ana@acme.example",
        "--phone",
        "912 345 678",
        input="n\nAna Sousa\ny\n",
    ).stdout
    assert "Name as recorded: Ana Sosa" in out
    assert "Added ana-sousa: Ana Sousa" in out
    shown = user.json("show", APP)
    assert shown["contacts"][0]["phone"] == "+351 912 345 678"
    assert shown["contacts"][0]["name_confirmed"] is True

    user.run("interview", APP, "monday 10:00", "--with", "ana-sousa")
    plan = user.json("today")
    assert [(a["kind"], a["due"]) for a in plan["actions"] if a["application"]] == [
        ("prepare_interview", "2026-03-01")
    ]
    assert "R16" in " ".join(user.json("script", f"prepare_interview:{APP}:iv1")["script"])

    # After the interview: the debrief asks the R3 questions still open.
    user.now = "2026-03-02T12:00:00+00:00"
    debrief = user.run("debrief", APP, input="yes\nyes\ntue,thu 10:00-12:00\n2026-03-12\n").stdout
    assert "Saved what you learned at iv1" in debrief
    plan = user.json("plan", "--horizon", "30")
    assert [a["kind"] for a in plan["actions"] if a["application"]] == [
        "thank_you_email",
        "status_call",
    ]

    # R4: the thank-you, two days later, with its draft.
    user.now = "2026-03-04T09:00:00+00:00"
    (thank_you,) = [a for a in user.json("today")["actions"] if a["kind"] == "thank_you_email"]
    assert (thank_you["id"], thank_you["due"], thank_you["overdue"]) == (
        THANK_YOU,
        "2026-03-04",
        False,
    )
    draft = user.json("draft", THANK_YOU)
    assert draft["to"] == {"name": "Ana Sousa", "email": "ana@acme.example"}
    assert "Dear Ana Sousa" in draft["body"]
    assert "Mon 2 Mar 2026" in draft["body"]
    assert "Maria Silva" in draft["body"]
    assert "Backend Engineer" in draft["subject"]
    user.run("done", THANK_YOU)
    assert THANK_YOU not in [a["id"] for a in user.json("today")["actions"]]

    # R7 + R11: the promised answer date, then the window's first day.
    user.now = "2026-03-13T09:00:00+00:00"
    (status,) = [a for a in user.json("plan", "--horizon", "7")["actions"] if a["application"]]
    assert (status["kind"], status["due"], status["rule"]) == ("status_call", "2026-03-17", "R11")
    assert status["window"] == {"start": "10:00", "end": "12:00"}

    # The call: script, then the outcome, in one step; the next call a week later (R13).
    user.now = "2026-03-17T10:15:00+00:00"
    call = user.run("call", APP, input="no_answer\n").stdout
    assert "Ask for Ana Sousa" in call
    assert "+351 912 345 678" in call
    assert "Recorded: status call to Ana Sousa: no answer." in call
    explained = user.json("explain", f"status:{APP}")
    assert explained["due"] == "2026-03-24"
    assert "R13" in [s["rule"] for s in explained["steps"]]

    # A second unanswered call; once HR is known the next attempt goes there (R17).
    user.now = "2026-03-24T10:30:00+00:00"
    user.run("call", APP, "--outcome", "voicemail")
    user.run(
        "contact",
        "add",
        APP,
        "Rui Lopes",
        "--role",
        "hr",
        "--email",
        "jobs@acme.example",
        "--confirmed",
    )
    user.now = "2026-03-31T09:00:00+00:00"
    (status,) = [a for a in user.json("today")["actions"] if a["application"]]
    assert (status["kind"], status["contact"], status["due"]) == (
        "status_email",
        "rui-lopes",
        "2026-03-31",
    )
    assert "Dear Rui Lopes" in user.json("draft", f"status:{APP}")["body"]
    user.run("done", f"status:{APP}")

    # Three unanswered attempts: give up, calmly, and keep applying (R17, R9).
    user.now = "2026-04-07T09:00:00+00:00"
    actions = user.json("today")["actions"]
    (give_up,) = [a for a in actions if a["application"]]
    assert (give_up["kind"], give_up["due"], give_up["rule"]) == ("give_up", "2026-04-07", "R17")
    assert any(a["kind"] == "apply_more" for a in actions)
    out = user.run("done", f"status:{APP}").stdout
    assert "no response" in out
    assert user.json("show", APP)["status"] == "no_response"

    # Everything survives an export and an import elsewhere.
    exported = user.run("export").stdout
    other = User(tmp_path / "copy.db")
    (tmp_path / "backup.json").write_text(exported)
    assert other.json("import", str(tmp_path / "backup.json"))["created"] == 1
    assert other.run("export").stdout == exported
    assert user.run("doctor").stdout.startswith("All good")


def test_vacancies_heard_on_a_call_become_applications(tmp_path: Path) -> None:
    user = interviewed(
        tmp_path / "v.db",
        "2026-03-10T10:00:00+00:00",
        "2026-03-02 10:00",
        "--phone",
        "+351 912 345 678",
    )
    out = user.run(
        "log",
        APP,
        "reached",
        "--decision",
        "undecided",
        "--decision-by",
        "2026-03-20",
        "--vacancies",
        "Data Engineer; SRE",
        input="y\nn\n",
    ).stdout
    assert "Added acme-data-engineer: Acme, Data Engineer." in out
    assert "SRE" not in out.split("Added")[-1]
    (status,) = [
        a for a in user.json("plan", "--horizon", "30")["actions"] if a["id"] == f"status:{APP}"
    ]
    assert (status["due"], status["rule"]) == ("2026-03-23", "R14")


def test_r13_warns_on_a_second_follow_up_the_same_week(tmp_path: Path) -> None:
    user = User(tmp_path / "w.db", now="2026-03-10T10:00:00+00:00")
    user.run("add", "Acme", "Backend Engineer")
    user.run("add", "acme", "Data Engineer")
    user.run("log", APP, "no_answer")
    second = user.run("log", "acme-data-engineer", "sent")
    assert "Warning: R13" in second.stderr
    assert second.exit_code == 0


def test_snooze_and_dismiss(tmp_path: Path) -> None:
    user = User(tmp_path / "s.db", now="2026-03-10T10:00:00+00:00")
    user.run("add", "Acme", "Backend Engineer")
    user.run("contact", "add", APP, "Ana Sousa", "--email", "ana@acme.example", "--confirmed")
    user.run(
        "interview",
        APP,
        "2026-03-02 10:00",
        "--with",
        "ana-sousa",
        "--every-applicant",
        "no",
        "--direct",
        "yes",
    )
    assert "snoozed until Mon 23 Mar 2026" in user.run("snooze", APP, "2026-03-23").stdout
    ids = {a["id"]: a for a in user.json("plan", "--horizon", "30")["actions"]}
    assert ids[f"status:{APP}"]["due"] == "2026-03-23"
    user.run("dismiss", THANK_YOU)
    assert THANK_YOU not in [a["id"] for a in user.json("plan", "--horizon", "30")["actions"]]
    user.run("snooze", APP, "off")
    assert user.json("show", APP)["snoozed_until"] is None


def test_demo_has_something_overdue_today_and_coming(tmp_path: Path) -> None:
    user = User(tmp_path / "demo.db")
    out = user.run("demo").stdout
    for section in ("Overdue (", "Today (", "Coming up ("):
        assert section in out
    assert User(tmp_path / "demo.db").run("demo", ok=False).exit_code == 8
