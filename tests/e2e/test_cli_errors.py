"""Bad input: one clear line naming what and where, a distinct exit code, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.cli import APP, User, interviewed

NOW = "2026-03-10T10:00:00+00:00"


@pytest.fixture
def user(tmp_path: Path) -> User:
    user = interviewed(tmp_path / "e.db", NOW, "2026-03-02 10:00", "--phone", "+351 912 345 678")
    (tmp_path / "broken.json").write_text('{"format": "followup/1", "applications": [')
    partly = {
        "format": "followup/1",
        "applications": [
            {"id": "new-one", "company": "Globex", "position": "Analyst"},
            {"id": "bad", "company": "Initech", "position": "Dev",
             "interviews": [{"id": "iv1", "at": "2026-02-30T10:00:00Z"}]},
        ],
    }  # fmt: skip
    (tmp_path / "partly.json").write_text(json.dumps(partly))
    (tmp_path / "notes.txt").write_text("not a database\n")
    latin = b'{"format": "followup/1", "applications": [{"id": "x", "company": "Caf\xe9"}]}'
    (tmp_path / "latin1.json").write_bytes(latin)  # Latin-1, not UTF-8: byte 69 (from 0) is \xe9
    return user


CASES = [
    (("show", "nope"), 3, "no application 'nope' (see: followup list)"),
    (("log", "nope", "sent"), 3, "no application 'nope'"),
    (
        ("done", "thank_you_email:nope:iv1:x"),
        3,
        "no action 'thank_you_email:nope:iv1:x' is planned now",
    ),
    (("explain", "status:nope"), 3, "no action 'status:nope' is planned now (see: followup today)"),
    (("interview", APP, "2026-03-12 10:00", "--with", "ghost"), 3, "has no contact 'ghost'"),
    (("contact", "edit", APP, "ghost", "--confirmed"), 3, "has no contact 'ghost'"),
    (("debrief", APP, "--interview", "iv9", "--direct", "yes"), 3, "has no interview 'iv9'"),
    (
        ("contact", "add", APP, "Rui", "--email", "rui@", "--confirmed"),
        4,
        "is not a valid email address",
    ),
    (("contact", "add", APP, "Rui", "--phone", "12345", "--confirmed"), 4, "is not a phone number"),
    (
        ("add", "Globex", "Analyst", "--applied", "2026-02-30"),
        4,
        "--applied: '2026-02-30' is not a date",
    ),
    (("interview", APP, "someday"), 4, "WHEN: 'someday' is not a date and time"),
    (("interview", APP, "2026-03-12 10:00", "--window", "mornings"), 4, "--window:"),
    (("snooze", APP, "next week"), 4, "DATE: 'next week' is not a date"),
    (("snooze", APP, "2026-03-01"), 4, "until: Sun 1 Mar 2026 is already past (today is Tue"),
    (("config", "set", "timezone", "Mars/Olympus"), 4, "unknown time zone"),
    (("config", "set", "first_follow_up_days", "soon"), 4, "is not a whole number"),
    (("log", APP, "sent", "--channel", "phone"), 4, "'sent' is the outcome of an email"),
    (
        ("done", f"status:{APP}"),
        4,
        "say how the call went: --outcome reached, no_answer or voicemail",
    ),
    (("import", "{tmp}/broken.json"), 5, "not JSON (line 1, column 42: parse error: premature"),
    (("import", "{tmp}/latin1.json"), 5, "latin1.json: not UTF-8 at byte 69"),
    (("import", "{tmp}/partly.json"), 5, "applications[1].interviews[0].at: not a date-time"),
    (("import", "{tmp}/missing.json"), 5, "cannot be read"),
    (("--db", "{tmp}/notes.txt", "today"), 6, "not a followup database"),
    (("dismiss", f"status:{APP}"), 8, "cannot be dismissed"),
    (("add", "Acme", "Backend Engineer", "--id", APP), 8, "already exists"),
    (("status", APP, "ghosted"), 2, "Invalid value"),
    (("plan", "--now", "yesterday"), 4, "--now:"),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), CASES, ids=[" ".join(c[0])[:40] for c in CASES]
)
def test_bad_input(
    user: User, tmp_path: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = user.run("export").stdout
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    if args[0] == "--db":
        user = User(Path(args[1]))
        args = args[2:]
    result = user.run(*args, ok=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    if code != 2:  # Click's own usage errors print the usage too
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("followup: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert User(tmp_path / "e.db").run("export").stdout == before


def test_a_refused_database_file_is_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    result = User(notes).run("add", "Acme", "Dev", ok=False)
    assert result.exit_code == 6
    assert notes.read_text() == "not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_stopping_at_a_prompt_writes_nothing(tmp_path: Path) -> None:
    user = User(tmp_path / "p.db", now=NOW)
    user.run("add", "Acme", "Backend Engineer")
    before = user.run("export").stdout
    result = user.run("contact", "add", APP, "Ana", input="", ok=False)
    # Input that ends at the question is no terminal to answer it: refused (8), as add
    # and delete refuse to ask (the probe's finding 10); Ctrl-C at a prompt stays 130.
    assert result.exit_code == 8
    assert "nothing was written" in result.stderr
    assert user.run("export").stdout == before


def test_an_hour_lived_twice_is_the_first_with_a_warning_saying_so(tmp_path: Path) -> None:
    user = User(tmp_path / "w.db", now="2026-10-01T09:00:00+00:00")
    user.run("config", "set", "timezone", "Europe/Lisbon")
    user.run("add", "Acme", "Backend Engineer")
    first = user.run("interview", APP, "2026-10-25 01:30")
    assert first.stderr == (
        "followup: warning: WHEN: 2026-10-25 01:30 happens twice in Europe/Lisbon (the clocks "
        "go back): took the first, 2026-10-25 01:30+01:00; the other is 2026-10-25 01:30+00:00\n"
    )
    second = user.run("interview", APP, "2026-10-25 01:30+00:00")
    assert second.stderr == ""
    interviews = json.loads(user.run("export").stdout)["applications"][0]["interviews"]
    at = [iv["at"] for iv in interviews]
    assert at == ["2026-10-25T01:30:00+01:00", "2026-10-25T01:30:00+00:00"]
