"""The history and undo, a company seen whole, and questions asked before the one write."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from followup.entrypoints.cli.base import NO_TERMINAL
from tests.e2e.cli import APP, User, interviewed

NOW = "2026-03-05T09:00:00+00:00"
CALL_DAY = "2026-03-12T09:00:00+00:00"
THANK_YOU = f"thank_you_email:{APP}:iv1:ana-sousa"


@pytest.fixture
def user(tmp_path: Path) -> User:
    return interviewed(tmp_path / "h.db", NOW, "2026-03-03 10:00")


def export(user: User) -> str:
    return str(user.run("export").stdout)


# --- history and undo -----------------------------------------------------------------------


def test_history_lists_changes_newest_first_with_their_words(user: User) -> None:
    user.run("edit", APP, "--company", "Acme Corp", "--notes", "a", "--source", "b",
             "--link", "https://acme.example")  # fmt: skip
    entries = user.json("history")
    assert [e["id"] for e in entries] == [4, 3, 2, 1]
    newest = entries[0]
    assert set(newest) == {"id", "at", "summary", "changes", "undoes", "undone_by"}
    assert newest["at"] == NOW
    assert newest["changes"] == [
        f"{APP}: company 'Acme' -> 'Acme Corp'",
        f"{APP}: link (none) -> 'https://acme.example'",
        f"{APP}: source (none) -> 'b'",
        f"{APP}: notes (none) -> 'a'",
    ]
    assert newest["summary"].endswith("(and 1 more change)")
    assert entries[-1]["changes"] == [f"added {APP} (Acme, Backend Engineer)"]
    text = user.run("history").stdout.splitlines()
    assert text[0].startswith("    4  Thu 5 Mar 2026 09:00  ")
    assert text[1:5] == [f"         {c}" for c in newest["changes"]]  # the summary is cut short
    # an entry whose summary says it all is not repeated underneath
    assert text[-1] == f"    1  Thu 5 Mar 2026 09:00  added {APP} (Acme, Backend Engineer)"


def test_history_pages_with_limit_and_before(user: User) -> None:
    assert [e["id"] for e in user.json("history", "--limit", "2")] == [3, 2]
    assert [e["id"] for e in user.json("history", "--before", "2")] == [1]
    assert "Older: followup history --before 2" in user.run("history", "--limit", "2").stdout
    assert user.run("history", "--limit", "0", ok=False).exit_code == 2


def test_undo_walks_back_and_each_undo_is_listed(user: User) -> None:
    before = export(user)
    user.run("edit", APP, "--notes", "first")
    user.run("edit", APP, "--notes", "second")
    done = user.json("undo")
    assert done["undone"]["id"] == 5
    assert done["undone"]["changes"] == [f"{APP}: notes 'first' -> 'second'"]
    assert done["undone"]["undone_by"] == done["entry"] == 6
    assert user.run("undo").stdout == f"Undid change 4: {APP}: notes (none) -> 'first'\n"
    assert export(user) == before
    entries = user.json("history", "--limit", "4")
    assert [(e["id"], e["undoes"], e["undone_by"]) for e in entries] == [
        (7, 4, None),
        (6, 5, None),
        (5, None, 6),
        (4, None, 7),
    ]
    text = user.run("history", "--limit", "4").stdout
    assert f"    5  Thu 5 Mar 2026 09:00  {APP}: notes 'first' -> 'second'  (undone by 6)" in text
    assert "undo of change 5" in text


def test_undo_with_nothing_to_undo_is_refused(tmp_path: Path) -> None:
    user = User(tmp_path / "empty.db", now=NOW)
    result = user.run("undo", ok=False)
    assert (result.exit_code, result.stderr) == (8, "followup: nothing to undo\n")
    assert user.run("history").stdout == "No changes yet.\n"
    assert user.json("history") == []


def test_every_write_is_one_entry_so_one_undo_takes_a_call_back_whole(user: User) -> None:
    user.run("done", THANK_YOU, "--outcome", "skipped")
    before = export(user)
    user.run(
        "call", APP, "--now", CALL_DAY, input="reached\nundecided\n2026-03-27\nData; QA\ny\nn\n"
    )
    after = json.loads(export(user))
    assert [a["id"] for a in after["applications"]] == [APP, "acme-data"]
    user.run("undo", "--now", CALL_DAY)
    assert export(user) == before


# --- call, log and done: every question before the one write --------------------------------


def test_call_stopped_at_the_vacancies_question_writes_nothing(user: User) -> None:
    user.run("done", THANK_YOU, "--outcome", "skipped")
    before = export(user)
    entries = user.json("history")
    answers = "reached\nundecided\n2026-03-27\nData Engineer\n"  # then end of input
    result = user.run("call", APP, "--now", CALL_DAY, input=answers, ok=False)
    assert result.exit_code == 8  # the input ended at a question (finding 10)
    assert "Add 'Data Engineer' as a new application?" in result.stdout
    assert "Recorded" not in result.stdout
    assert result.stderr == f"followup: {NO_TERMINAL}\n"
    assert export(user) == before
    assert user.json("history") == entries


def test_call_stopped_at_the_first_question_writes_nothing(user: User) -> None:
    user.run("done", THANK_YOU, "--outcome", "skipped")
    before = export(user)
    result = user.run("call", APP, "--now", CALL_DAY, input="", ok=False)
    assert result.exit_code == 8  # the input ended at a question (finding 10)
    assert export(user) == before


def test_call_answered_records_the_touch_and_the_chosen_vacancies(user: User) -> None:
    user.run("done", THANK_YOU, "--outcome", "skipped")
    answers = "reached\nundecided\n2026-03-27\nData Engineer; QA Lead\ny\nn\n"
    result = user.run("call", APP, "--now", CALL_DAY, "--notes", "friendly", input=answers)
    assert "Recorded: status call to Ana Sousa: reached." in result.stdout
    assert "Added acme-data-engineer: Acme, Data Engineer." in result.stdout
    ids = [a["id"] for a in json.loads(export(user))["applications"]]
    assert ids == [APP, "acme-data-engineer"]
    touch = user.json("show", APP)["touches"][-1]
    assert (touch["decision_by"], touch["notes"]) == ("2026-03-27", "friendly")


def test_log_asks_about_vacancies_before_writing(user: User) -> None:
    before = export(user)
    result = user.run("log", APP, "replied", "--vacancies", "QA Lead", input="", ok=False)
    assert result.exit_code == 8  # the input ended at a question (finding 10)
    assert export(user) == before
    logged = user.run("log", APP, "replied", "--vacancies", "QA Lead", input="y\n")
    assert "Added acme-qa-lead: Acme, QA Lead." in logged.stdout
    newest = user.json("history")[0]  # one entry: the touch and the application it made
    assert newest["changes"] == [f"{APP}: touch t1 added", "added acme-qa-lead (Acme, QA Lead)"]


def test_log_json_keeps_its_shape(user: User) -> None:
    data = user.json("log", APP, "replied", "--vacancies", "QA Lead", "--add-vacancies")
    assert set(data) == {"touch", "application", "status", "warnings", "vacancies", "created",
                         "actions"}  # fmt: skip
    assert (data["vacancies"], data["created"]) == (["QA Lead"], ["acme-qa-lead"])


def test_done_asks_about_vacancies_before_writing(user: User) -> None:
    before = export(user)
    result = user.run("done", THANK_YOU, "--vacancies", "QA Lead", input="", ok=False)
    assert result.exit_code == 8  # the input ended at a question (finding 10)
    assert export(user) == before


# --- a company seen whole -------------------------------------------------------------------


def test_company_shows_applications_contacts_touches_and_the_next_possible_day(
    user: User,
) -> None:
    user.run("add", "ACME ", "Data Engineer")
    user.run("contact", "add", "acme-data-engineer", "Rui Lopes", "--role", "hr",
             "--email", "rui@acme.example", "--confirmed")  # fmt: skip
    user.run("log", APP, "no_answer", "--at", "2026-03-04 15:00")
    user.run("log", "acme-data-engineer", "sent", "--contact", "ana-sousa")
    user.run("add", "Globex", "Analyst")

    text = user.run("company", "acme").stdout
    assert text.startswith("Acme\n")
    rows = [line.split()[:2] for line in text.splitlines()[2:4]]
    assert rows == [[APP, "Backend"], ["acme-data-engineer", "Data"]]
    assert "globex" not in text
    assert f"ana-sousa: Ana Sousa, interviewer; +351 912 345 678 (recorded for {APP})" in text
    assert "rui-lopes: Rui Lopes, hr; rui@acme.example (recorded for acme-data-engineer)" in text
    touches = text.split("Touches, newest first\n")[1].splitlines()
    assert touches == [
        "  Thu 5 Mar 2026 09:00  acme-data-engineer t1: status email to Ana Sousa: sent",
        f"  Wed 4 Mar 2026 15:00  {APP} t1: status call to Ana Sousa: no answer",
    ]
    assert (
        "Last follow-up there: Thu 5 Mar 2026; next follow-up there possible from "
        "Thu 12 Mar 2026 (R13)." in text
    )

    data = user.json("company", APP)  # an application id finds its company too
    assert (data["company"], data["key"]) == ("Acme", "acme")
    assert [a["id"] for a in data["applications"]] == [APP, "acme-data-engineer"]
    assert [(c["application"], c["id"]) for c in data["contacts"]] == [
        (APP, "ana-sousa"),
        ("acme-data-engineer", "rui-lopes"),
    ]
    assert [(t["application"], t["id"]) for t in data["touches"]] == [
        ("acme-data-engineer", "t1"),
        (APP, "t1"),
    ]
    assert (data["last_attempt"], data["next_possible"]) == ("2026-03-05", "2026-03-12")


def test_debrief_stopped_at_a_question_writes_nothing(user: User) -> None:
    before = export(user)
    # Ana's email (the company's habits are known already); end of input at the window
    result = user.run("debrief", APP, input="ana@acme.example\n", ok=False)
    assert result.exit_code == 8  # the input ended at a question (finding 10)
    assert export(user) == before
    user.run("debrief", APP, input="ana@acme.example\ntue 10-12\n2026-03-12\n")
    assert user.json("show", APP)["contacts"][0]["email"] == "ana@acme.example"
    assert len(user.json("history")) == 4  # the whole debrief is one change


def test_a_large_change_is_listed_in_a_bounded_number_of_lines(user: User, tmp_path: Path) -> None:
    apps = [{"id": f"app{i}", "company": f"Company {i}", "position": "Dev"} for i in range(45)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"format": "followup/1", "applications": apps}))
    user.run("import", str(path))
    text = user.run("history", "--limit", "1").stdout
    assert "... and 25 more" in text
    assert len(text.splitlines()) <= 25
    assert len(user.json("history", "--limit", "1")[0]["changes"]) == 45  # JSON lists them all
    undone = user.run("undo").stdout
    assert "... and 25 more" in undone


# --- forgetting -----------------------------------------------------------------------------


def test_forget_erases_the_older_changes_and_what_they_removed(user: User) -> None:
    before_delete = export(user)
    user.run("delete", APP, "--yes", "--now", CALL_DAY)  # change 4, a week later
    assert user.run("forget", ok=False).exit_code == 4  # --before DATE or --all
    assert user.run("forget", "--all", "--before", "2026-03-06", ok=False).exit_code == 4
    assert user.run("forget", "--before", "someday", ok=False).exit_code == 4
    asked = user.run("forget", "--before", "2026-03-06", ok=False)  # no terminal to ask on
    assert (asked.exit_code, asked.stderr) == (
        8,
        "followup: forgetting asks first, and there is no terminal: pass --yes\n",
    )
    assert [e["id"] for e in user.json("history")] == [4, 3, 2, 1]
    forgot = user.json("forget", "--before", "2026-03-06", "--yes", "--now", CALL_DAY)
    assert forgot == {"forgotten": 3}
    assert [e["id"] for e in user.json("history")] == [4]
    user.run("undo", "--now", CALL_DAY)  # the deletion, kept, is still undone
    assert export(user) == before_delete
    said = user.run("forget", "--all", "--yes", "--now", CALL_DAY).stdout
    assert said == "Forgot 2 changes of the history.\n"  # the deletion and its undo
    refused = user.run("undo", ok=False)
    assert (refused.exit_code, refused.stderr) == (8, "followup: nothing to undo\n")
    assert export(user) == before_delete  # the records stay as they are
    user.run("edit", APP, "--notes", "after")
    assert [e["id"] for e in user.json("history")] == [6]  # numbers go on, never reused
