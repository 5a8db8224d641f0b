"""``followup stats`` (issue 14): the JSON pinned against the search counted by hand, the
period in local days, refusals, the empty database, and the text for people."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.formats.stats import DEFINITIONS
from tests.e2e.cli import User
from tests.insights_support import saved

NOW = "2026-03-20T12:00:00+00:00"


@pytest.fixture
def user(tmp_path: Path) -> User:
    saved(tmp_path / "s.db")
    return User(tmp_path / "s.db", now=NOW)


def test_the_json_is_pinned(user: User) -> None:
    assert user.json("stats") == {
        "from": None,
        "to": None,
        "today": "2026-03-20",
        "funnel": {"applications": 6, "answered": 4, "interviewed": 4, "offers": 2, "accepted": 1},
        "response_rate": 0.667,
        "median_days_to_first_answer": 7,
        "thank_you_rate": 0.25,
        "thank_yous": {"interviews": 4, "all_sent": 1},
        "follow_ups": {
            "done": 3,
            "compared": 3,
            "on_time": 1,
            "late": 2,
            "on_time_rate": 0.333,
            "median_days_late": 2,
            "max_days_late": 2,
        },
        "by_source": [
            {
                "source": "LinkedIn",
                "applications": 3,
                "answered": 2,
                "interviewed": 2,
                "response_rate": 0.667,
                "interview_rate": 0.667,
            },
            {
                "source": "Company site",
                "applications": 2,
                "answered": 2,
                "interviewed": 2,
                "response_rate": 1.0,
                "interview_rate": 1.0,
            },
            {
                "source": None,
                "applications": 1,
                "answered": 0,
                "interviewed": 0,
                "response_rate": 0.0,
                "interview_rate": 0.0,
            },
        ],
        "by_channel": [
            {
                "channel": "phone",
                "follow_ups": 2,
                "answered": 1,
                "interviews_after": 0,
                "response_rate": 0.5,
                "interview_rate": 0.0,
            },
            {
                "channel": "email",
                "follow_ups": 1,
                "answered": 1,
                "interviews_after": 1,
                "response_rate": 1.0,
                "interview_rate": 1.0,
            },
        ],
        "pace": {
            "aim_per_week": 1.0,
            "per_week": 2,
            "weeks_on_aim": 2,
            "weeks": [
                {"week": "2026-03-02", "applications": 4, "on_aim": True},
                {"week": "2026-03-09", "applications": 0, "on_aim": False},
                {"week": "2026-03-16", "applications": 2, "on_aim": True},
            ],
        },
    }


def test_an_empty_database_has_no_rates_and_says_so(tmp_path: Path) -> None:
    user = User(tmp_path / "empty.db", now=NOW)
    found = user.json("stats")
    assert found["funnel"] == dict.fromkeys(
        ["applications", "answered", "interviewed", "offers", "accepted"], 0
    )
    for key in ("response_rate", "median_days_to_first_answer", "thank_you_rate"):
        assert found[key] is None
    assert found["follow_ups"]["on_time_rate"] is None
    assert found["by_source"] == []
    assert [c["response_rate"] for c in found["by_channel"]] == [None, None]
    assert found["pace"]["weeks"] == []
    assert found["pace"]["per_week"] is None
    text = user.run("stats").stdout
    assert "No application in this period yet" in text


def test_the_period_is_in_local_days(tmp_path: Path) -> None:
    """Recorded at 02:30 UTC on Tue 17 March, it is Mon 16 in New York: in a period ending
    on the 16th there, not in one starting on the 17th."""
    user = User(tmp_path / "ny.db")
    user.run("config", "set", "timezone", "America/New_York")
    user.run("add", "Acme", "Backend Engineer", "--now", "2026-03-17T02:30:00+00:00")
    user.now = "2026-03-20T12:00:00+00:00"
    assert user.json("stats", "--to", "2026-03-16")["funnel"]["applications"] == 1
    assert user.json("stats", "--from", "2026-03-17")["funnel"]["applications"] == 0
    found = user.json("stats", "--from", "2026-03-16", "--to", "2026-03-16")
    assert (found["from"], found["to"], found["funnel"]["applications"]) == (
        "2026-03-16",
        "2026-03-16",
        1,
    )
    assert [w["week"] for w in found["pace"]["weeks"]] == ["2026-03-16"]


def test_a_period_filters_every_figure(user: User) -> None:
    found = user.json("stats", "--from", "2026-03-03", "--to", "2026-03-16")
    assert found["funnel"] == {
        "applications": 4,
        "answered": 3,
        "interviewed": 3,
        "offers": 2,
        "accepted": 1,
    }
    assert found["follow_ups"]["done"] == 2
    assert [s["source"] for s in found["by_source"]] == ["Company site", "linkedin", None]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "someday"], "--from: "),
        (["--to", "2026-02-30"], "--to: "),
        (["--from", "2026-03-10", "--to", "2026-03-09"], "--from 2026-03-10 is after --to"),
    ],
)
def test_a_bad_period_is_one_line_and_exit_4(user: User, args: list[str], message: str) -> None:
    result = user.run("stats", *args, ok=False)
    assert result.exit_code == 4
    assert result.stderr.startswith(f"followup: {message}")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_the_text_gives_each_figure_and_help_defines_them(user: User) -> None:
    text = user.run("stats").stdout
    assert "Insights: all applications (today is Fri 20 Mar 2026)" in text
    assert "Response rate: 67% (4 of 6)" in text
    assert "Time to first answer: 7 days (median)" in text
    assert "Thank-yous all sent: 25% (1 of 4) of interviews" in text
    assert "of the 3 with a due date, 1 on time (33%) and 2 late (median 2 days, at most 2" in text
    assert "week of Mon 9 Mar 2026: 0  (below the aim)" in text
    assert "▁" not in text  # no sparkline in a pipe
    helptext = " ".join(user.run("stats", "--help").stdout.split())
    for name, definition in DEFINITIONS.items():
        assert f"{name}: {' '.join(definition.split())}" in helptext


def test_a_terminal_gets_a_sparkline(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("followup.entrypoints.cli.stats.is_terminal", lambda: True)
    text = user.run("stats").stdout
    assert "  █▁▅  each week, from Mon 2 Mar 2026" in text
    assert "week of" not in text


def test_the_readme_defines_each_figure_as_the_help_does() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name, definition in DEFINITIONS.items():
        assert f"| `{name}` | {definition} |" in readme
