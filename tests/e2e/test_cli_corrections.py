"""Correcting records from the command line: edit, delete, reschedule, cancel, touches, contacts.

Each correction is one history entry: ``followup undo`` takes it back, byte for byte in the
export. Bad values are one line with exit 4, unknown ids exit 3, refusals exit 8, and none of
them writes anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from followup.entrypoints.cli.base import Env
from tests.e2e.cli import APP, User, interviewed

NOW = "2026-03-05T09:00:00+00:00"


@pytest.fixture
def user(tmp_path: Path) -> User:
    """Acme, Backend Engineer: Ana Sousa (a phone), interview iv1 on 3 Mar, and a no-answer call."""
    user = interviewed(tmp_path / "c.db", NOW, "2026-03-03 10:00")
    user.run("log", APP, "no_answer", "--at", "2026-03-04 15:00", "--notes", "rang twice")
    return user


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone is at a terminal to answer (the in-process runner's stdin is not a tty)."""
    monkeypatch.setattr(Env, "interactive", property(lambda self: True))


def export(user: User) -> str:
    return str(user.run("export").stdout)


# --- edit -----------------------------------------------------------------------------------


def test_edit_prints_what_changed_and_undo_restores_the_export_byte_for_byte(
    user: User, tmp_path: Path
) -> None:
    before = export(user)
    posting = tmp_path / "ad.txt"
    posting.write_text("Backend Engineer at Acme\nPython, SQL\nLisbon or remote\nApply by May\n")
    result = user.run(
        "edit", APP, "--company", "Acme Corp", "--position", "Senior Backend Engineer",
        "--applied", "2026-02-20", "--link", "https://acme.example/jobs/1",
        "--source", "a friend", "--notes", "referred by Rui", "--posting-file", str(posting),
    )  # fmt: skip
    out = result.stdout
    assert f"Saved {APP}." in out
    assert f"{APP}: company 'Acme' -> 'Acme Corp'" in out
    assert f"{APP}: applied_on (none) -> Fri 20 Feb 2026" in out
    assert "Undo: followup undo" in out
    shown = user.json("show", APP)
    assert (shown["company"], shown["position"]) == ("Acme Corp", "Senior Backend Engineer")
    assert shown["posting"] == posting.read_text().strip()
    assert export(user) != before

    undone = user.run("undo")
    assert undone.stdout.startswith("Undid change ")
    assert "company 'Acme' -> 'Acme Corp'" in undone.stdout
    assert export(user) == before


def test_an_empty_value_clears_an_optional_field(user: User) -> None:
    user.run("edit", APP, "--notes", "keep this", "--link", "https://acme.example/1")
    user.run("edit", APP, "--notes", "", "--link", "", "--applied", "2026-02-01")
    user.run("edit", APP, "--applied", "")
    app = user.json("show", APP)
    assert (app["notes"], app["link"], app["applied_on"]) == (None, None, None)


def test_edit_with_nothing_to_change_says_so(user: User) -> None:
    result = user.run("edit", APP, "--company", "Acme")
    assert "Nothing changed." in result.stdout
    assert "Undo" not in result.stdout


def test_the_posting_can_come_from_stdin_and_show_folds_it(user: User) -> None:
    text = "".join(f"line {n}\n" for n in range(1, 8))
    user.run("edit", APP, "--posting-file", "-", input=text)
    shown = user.run("show", APP).stdout
    assert "    line 1\n    line 2\n    line 3\n" in shown
    assert "line 4" not in shown
    assert f"... 4 more lines: followup show {APP} --posting" in shown
    assert user.run("show", APP, "--posting").stdout == text


def test_edit_json_is_the_application_as_show_prints_it(user: User) -> None:
    edited = user.json("edit", APP, "--source", "LinkedIn")
    assert edited == user.json("show", APP)
    assert edited["source"] == "LinkedIn"


# --- delete ---------------------------------------------------------------------------------


def test_delete_without_a_terminal_is_refused_and_asks_for_yes(user: User) -> None:
    before = export(user)
    result = user.run("delete", APP, ok=False)
    assert result.exit_code == 8
    assert result.stderr == (
        f"followup: deleting {APP} asks first, and there is no terminal: pass --yes\n"
    )
    assert export(user) == before


def test_delete_then_undo_brings_the_application_back_whole(user: User) -> None:
    before = export(user)
    result = user.run("delete", APP, "--yes")
    assert (
        f"Deleted {APP} (Acme, Backend Engineer) with 1 contact, 1 interview, 1 touch."
        in result.stdout
    )
    assert user.run("show", APP, ok=False).exit_code == 3
    assert json.loads(export(user))["applications"] == []
    user.run("undo")
    assert export(user) == before


@pytest.mark.usefixtures("terminal")
def test_delete_on_a_terminal_asks_naming_what_goes_with_it(user: User) -> None:
    before = export(user)
    kept = user.run("delete", APP, input="n\n")
    assert (
        f"Delete {APP} (Acme, Backend Engineer) with 1 contact, 1 interview, 1 touch? [y/N]"
        in kept.stdout
    )
    assert "Not deleted." in kept.stdout
    assert export(user) == before
    user.run("delete", APP, input="y\n")
    assert user.run("show", APP, ok=False).exit_code == 3


def test_delete_one_interview_entered_by_mistake(user: User) -> None:
    user.run("interview", APP, "2026-03-10 10:00", "--with", "ana-sousa")
    refused = user.run("delete", APP, "--interview", "iv2", ok=False)
    assert refused.exit_code == 8
    assert "pass --yes" in refused.stderr
    result = user.run("delete", APP, "--interview", "iv2", "--yes")
    assert f"Deleted interview iv2 of {APP}." in result.stdout
    assert [iv["id"] for iv in user.json("show", APP)["interviews"]] == ["iv1"]
    missing = user.run("delete", APP, "--interview", "iv9", "--yes", ok=False)
    assert missing.exit_code == 3
    assert "has no interview 'iv9' (interviews: iv1)" in missing.stderr


# --- interviews -----------------------------------------------------------------------------


def test_reschedule_moves_an_interview_and_its_preparation(user: User) -> None:
    user.run("interview", APP, "2026-03-10 10:00", "--with", "ana-sousa")
    result = user.run("reschedule", APP, "iv2", "2026-03-12 14:00", "--notes", "room 4")
    assert "iv2 is now on Thu 12 Mar 2026 at 14:00." in result.stdout
    assert "interview iv2 at Tue 10 Mar 2026 10:00 -> Thu 12 Mar 2026 14:00" in result.stdout
    iv = user.json("reschedule", APP, "iv2", "2026-03-12 15:00")
    assert (iv["at"], iv["notes"]) == ("2026-03-12T15:00:00+00:00", "room 4")
    plan = user.json("plan", "--horizon", "30")
    prepare = [a for a in plan["actions"] if a["id"] == f"prepare_interview:{APP}:iv2"]
    assert [a["due"] for a in prepare] == ["2026-03-11"]


def test_cancel_keeps_the_interview_marked_and_reschedule_restores_it(user: User) -> None:
    user.run("interview", APP, "2026-03-10 10:00", "--with", "ana-sousa")
    result = user.run("cancel", APP, "iv2")
    assert "Cancelled iv2." in result.stdout
    assert f"{APP}: interview iv2 cancelled" in result.stdout
    assert "interview iv2 with Ana Sousa (cancelled)" in user.run("show", APP).stdout
    ids = [a["id"] for a in user.json("plan", "--horizon", "30")["actions"]]
    assert f"prepare_interview:{APP}:iv2" not in ids
    assert user.json("show", APP)["interviews"][1]["cancelled"] is True

    iv = user.json("reschedule", APP, "iv2", "2026-03-11 10:00")
    assert "cancelled" not in iv
    assert f"prepare_interview:{APP}:iv2" in [
        a["id"] for a in user.json("plan", "--horizon", "30")["actions"]
    ]


def test_reschedule_replaces_the_interviewers(user: User) -> None:
    user.run("contact", "add", APP, "Rui Lopes", "--confirmed")
    iv = user.json("reschedule", APP, "iv1", "2026-03-03 11:00", "--with", "rui-lopes",
                   "--with", "ana-sousa")  # fmt: skip
    assert iv["interviewers"] == ["rui-lopes", "ana-sousa"]


def test_notes_on_interviews_from_interview_and_debrief(user: User) -> None:
    user.run("interview", APP, "2026-03-10 10:00", "--notes", "bring the portfolio")
    user.run("debrief", APP, "--interview", "iv1", "--notes", "they liked the SQL answer")
    shown = user.run("show", APP).stdout
    assert "interview iv1 with Ana Sousa\n      they liked the SQL answer\n" in shown
    assert "bring the portfolio" in shown
    interviews = user.json("show", APP)["interviews"]
    assert [iv.get("notes") for iv in interviews] == [
        "they liked the SQL answer",
        "bring the portfolio",
    ]


def test_recording_an_interview_at_the_same_time_twice_is_refused(user: User) -> None:
    result = user.run("interview", APP, "2026-03-03 10:00", ok=False)
    assert result.exit_code == 8
    assert "reschedule" in result.stderr


# --- touches and contacts -------------------------------------------------------------------


def test_show_lists_touch_ids_and_notes(user: User) -> None:
    shown = user.run("show", APP).stdout
    assert "touch t1: status call to Ana Sousa: no answer\n      rang twice\n" in shown


def test_touch_edit_corrects_a_touch_and_undo_takes_it_back(user: User) -> None:
    before = export(user)
    result = user.run("touch", "edit", APP, "t1", "--outcome", "reached", "--decision",
                      "undecided", "--decision-by", "2026-03-20", "--notes", "call back")  # fmt: skip
    assert "Saved t1: status call to Ana Sousa: reached." in result.stdout
    assert f"{APP}: touch t1 outcome 'no_answer' -> 'reached'" in result.stdout
    data = user.json("touch", "edit", APP, "t1", "--vacancies", "Data Engineer")
    assert data["touch"]["decision_by"] == "2026-03-20"
    assert data["touch"]["notes"] == "call back"
    assert data["touch"]["vacancies"] == "Data Engineer"
    cleared = user.json("touch", "edit", APP, "t1", "--decision", "none", "--decision-by", "")
    assert (cleared["touch"]["decision"], cleared["touch"]["decision_by"]) == (None, None)
    user.run("undo")
    user.run("undo")
    user.run("undo")
    assert export(user) == before


def test_touch_edit_can_clear_the_contact(user: User) -> None:
    data = user.json("touch", "edit", APP, "t1", "--contact", "")
    assert data["touch"]["contact"] is None
    assert "touch t1: status call: no answer" in user.run("show", APP).stdout


def test_touch_delete_and_undo(user: User) -> None:
    before = export(user)
    result = user.run("touch", "delete", APP, "t1")
    assert f"{APP}: touch t1 deleted" in result.stdout
    assert user.json("show", APP)["touches"] == []
    user.run("undo")
    assert export(user) == before


def test_a_contact_in_use_cannot_be_deleted_until_it_is_free(user: User) -> None:
    refused = user.run("contact", "delete", APP, "ana-sousa", ok=False)
    assert refused.exit_code == 8
    assert "is used by interview iv1, touch t1" in refused.stderr
    user.run("contact", "add", APP, "Rui Lopes", "--confirmed")
    assert user.json("contact", "delete", APP, "rui-lopes") == {
        "deleted": "rui-lopes",
        "application": APP,
    }
    assert [c["id"] for c in user.json("show", APP)["contacts"]] == ["ana-sousa"]


def test_log_keeps_notes(user: User) -> None:
    assert user.json("show", APP)["touches"][0]["notes"] == "rang twice"


# --- duplicates -----------------------------------------------------------------------------


def test_a_duplicate_without_a_terminal_is_refused_naming_the_existing_one(user: User) -> None:
    before = export(user)
    result = user.run("add", " ACME ", "backend engineer", ok=False)
    assert result.exit_code == 8
    assert result.stderr == (
        f"followup: {APP} is already an application at Acme for Backend Engineer; "
        "pass --yes to add it anyway\n"
    )
    assert export(user) == before
    added = user.run("add", "ACME", "Backend Engineer", "--yes")
    assert "Added acme-backend-engineer-2: ACME, Backend Engineer." in added.stdout


@pytest.mark.usefixtures("terminal")
def test_a_duplicate_on_a_terminal_asks(user: User) -> None:
    before = export(user)
    kept = user.run("add", "Acme", "Backend Engineer", input="n\n")
    assert "Add it anyway? [y/N]" in kept.stdout
    assert f"Not added: see followup show {APP}" in kept.stdout
    assert export(user) == before
    added = user.run("add", "Acme", "Backend Engineer", input="y\n")
    assert "Added acme-backend-engineer-2" in added.stdout


def test_add_keeps_the_posting(user: User, tmp_path: Path) -> None:
    saved = user.json("add", "Globex", "Analyst", "--posting", "Analyst at Globex\nExcel")
    assert saved["posting"] == "Analyst at Globex\nExcel"


# --- bad input ------------------------------------------------------------------------------

TOO_LONG = "x" * 100_001
CASES = [
    (("edit", "nope", "--notes", "x"), 3, "no application 'nope'"),
    (("edit", APP, "--company", ""), 4, "company cannot be empty"),
    (("edit", APP, "--applied", "someday"), 4, "--applied: 'someday' is not a date"),
    (("edit", APP, "--link", "javascript:alert(1)"), 4, "is not an http(s) address"),
    (("edit", APP, "--posting", TOO_LONG), 4, "posting is 100,001 characters long"),
    (("edit", APP, "--posting", "a", "--posting-file", "-"), 4, "not both"),
    (("edit", APP, "--posting-file", "{tmp}/missing.txt"), 4, "--posting-file: cannot read"),
    (("add", "Globex", "Analyst", "--posting", TOO_LONG), 4, "posting is 100,001 characters"),
    (("delete", "nope", "--yes"), 3, "no application 'nope'"),
    (("reschedule", APP, "iv9", "2026-03-12 10:00"), 3, "has no interview 'iv9'"),
    (("reschedule", "nope", "iv1", "2026-03-12 10:00"), 3, "no application 'nope'"),
    (("reschedule", APP, "iv1", "someday"), 4, "WHEN: 'someday' is not a date and time"),
    (("reschedule", APP, "iv1", "2026-03-12 10:00", "--with", "ghost"), 3, "no contact 'ghost'"),
    (("cancel", APP, "iv9"), 3, "has no interview 'iv9'"),
    (("touch", "edit", APP, "t9", "--notes", "x"), 3, "has no touch 't9' (touches: t1)"),
    (("touch", "edit", APP, "t1", "--at", "whenever"), 4, "--at: 'whenever' is not a date"),
    (("touch", "edit", APP, "t1", "--channel", "email"), 4, "is the outcome of a call"),
    (("touch", "edit", APP, "t1", "--contact", "ghost"), 3, "has no contact 'ghost'"),
    (("touch", "edit", APP, "t1", "--decision-by", "soon"), 4, "--decision-by: 'soon'"),
    (("touch", "delete", APP, "t9"), 3, "has no touch 't9'"),
    (("contact", "delete", APP, "ghost"), 3, "has no contact 'ghost'"),
    (("company", "Initech"), 3, "no company 'Initech' among your applications"),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), CASES, ids=[" ".join(c[0])[:40] for c in CASES]
)
def test_bad_input(
    user: User, tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = export(user)
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    result = user.run(*args, ok=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("followup: ")
    assert export(user) == before
