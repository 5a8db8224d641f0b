"""``followup today`` on a backlog (issue 12): a page of each section, the most urgent first,
how many more there are, and ``--all``; ``--json`` and ``plan --json`` stay whole."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followup import bootstrap
from followup.domain.settings import Settings
from followup.entrypoints.web.pages import today as page
from followup.services.planning import COUNT_CAP
from followup.services.session import reading, writing
from tests.builders import application, d, hr, interview
from tests.e2e.cli import User

NOW = "2026-03-20T09:00:00+00:00"
#: followup today's page: the 10 most urgent actions of each section.
PAGE = 10
TITLES = {"Overdue": "overdue", "Today": "today", "Coming up": "coming"}


def build_backlog(db: Path) -> None:
    """A search of 82 applications, each at its own company: follow-ups long overdue, due
    today and in the coming week, and interviews yesterday (thank-yous due today)."""
    now = datetime.fromisoformat(NOW)
    deps = bootstrap.build(str(db), now)
    with deps.store.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT"))
    ago = [d("2026-03-19") - timedelta(days=5 + i) for i in range(60)]
    ago += [d("2026-03-06")] * 12  # R18's follow-up falls on today
    apps = [
        application(f"app{i:02d}", company=f"Company {i}", applied_on=day, contacts=(hr(),))
        for i, day in enumerate(ago)
    ]
    yesterday = datetime(2026, 3, 19, 10, tzinfo=UTC)
    apps += [
        application(f"iv{i}", company=f"Studio {i}", interviews=(interview(yesterday),))
        for i in range(10)
    ]
    with writing(deps, now) as session:
        session.save_many(apps)
    deps.store.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def backlog(tmp_path_factory: pytest.TempPathFactory) -> User:
    db = tmp_path_factory.mktemp("backlog") / "b.db"
    build_backlog(db)
    return User(db, now=NOW)


def sections(text: str) -> dict[str, tuple[int, list[str], str | None]]:
    """Each section of ``today``'s text: its count, the ids listed, and its "more" line."""
    found: dict[str, tuple[int, list[str], str | None]] = {}
    for block in text.split("\n\n")[1:]:
        heading = re.match(r"(Overdue|Today|Coming up) \(([\d,]+)\)", block)
        if heading is None:
            continue
        ids = re.findall(r"\[([^\]]+)\]$", block, flags=re.MULTILINE)
        more = re.search(r"^  \.\.\. and .*$", block, flags=re.MULTILINE)
        key = TITLES[heading.group(1)]
        found[key] = (int(heading.group(2).replace(",", "")), ids, more and more.group(0))
    return found


def whole(user: User) -> dict[str, list[str]]:
    """The ids of each section, from the complete plan (FORMAT.md's order)."""
    plan = user.json("plan", "--horizon", "7")
    today = plan["today"]
    by_section: dict[str, list[str]] = {"overdue": [], "today": [], "coming": []}
    for action in plan["actions"]:
        due = action["due"]
        key = "overdue" if due < today else "today" if due == today else "coming"
        by_section[key].append(action["id"])
    return by_section


def test_today_shows_a_page_of_each_section_and_counts_the_rest(backlog: User) -> None:
    expected = whole(backlog)
    assert all(len(ids) > PAGE for ids in expected.values()), {
        k: len(v) for k, v in expected.items()
    }
    shown = sections(backlog.run("today").stdout)
    assert list(shown) == ["overdue", "today", "coming"]
    for key, (count, ids, more) in shown.items():
        assert count == len(expected[key])
        assert ids == expected[key][:PAGE]  # the most urgent first
        assert more == f"  ... and {count - PAGE} more: followup today --all"


def test_the_most_overdue_comes_first(backlog: User) -> None:
    text = backlog.run("today").stdout
    days = [int(n) for n in re.findall(r"\((\d+) days late\)", text)]
    assert len(days) == PAGE
    assert days == sorted(days, reverse=True)


def test_today_all_lists_every_action_in_order(backlog: User) -> None:
    expected = whole(backlog)
    shown = sections(backlog.run("today", "--all").stdout)
    for key, (count, ids, more) in shown.items():
        assert (count, ids, more) == (len(expected[key]), expected[key], None)


def test_today_json_is_the_whole_week_as_plan_json(backlog: User) -> None:
    """``today --json`` keeps its contract: all of it, as ``plan --json --horizon 7``."""
    today = backlog.run("today", "--json").stdout
    plan = backlog.run("plan", "--json", "--horizon", "7").stdout
    assert today == plan
    document = json.loads(plan)
    assert sum(len(ids) for ids in whole(backlog).values()) == len(document["actions"])
    # Streamed, yet exactly what one json.dumps of the document prints.
    assert plan == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def test_a_short_section_has_no_more_line(tmp_path: Path) -> None:
    user = User(tmp_path / "s.db", now=NOW)
    user.run("add", "Acme", "Backend Engineer", "--applied", "2026-03-01")
    shown = sections(user.run("today").stdout)
    assert all(more is None for _, _, more in shown.values())
    assert sum(len(ids) for _, ids, _ in shown.values()) == sum(
        count for count, _, _ in shown.values()
    )


def test_a_count_stops_at_its_cap(backlog: User) -> None:
    """Counting costs the rows counted: past the cap, a section says "at least"."""
    deps = bootstrap.build(str(backlog.db), datetime.fromisoformat(NOW))
    try:
        with reading(deps) as plan:
            section = plan.section("overdue", 3, cap=5)
            whole = plan.section("overdue", 3, cap=None)
    finally:
        deps.store.close()  # type: ignore[attr-defined]
    assert (section.total, section.capped, section.more) == (5, True, 2)
    assert section.actions == whole.actions
    assert whole.total > 5
    assert not whole.capped


def test_today_counts_a_section_to_the_cap_as_the_web_page_does(tmp_path: Path) -> None:
    """One cap for ``followup today`` and the Today page (issue 12): past 1,000 actions a
    section reads "1,000 or more", its more line "at least", and the most urgent still
    come first."""
    assert COUNT_CAP == page.PAGE_COUNT_CAP == 1_000
    db = tmp_path / "big.db"
    now = datetime.fromisoformat(NOW)
    deps = bootstrap.build(str(db), now)
    with deps.store.writing() as repo:
        repo.save_settings(Settings("Europe/Lisbon", "PT"))
    first = d("2026-03-19") - timedelta(days=40)
    apps = [
        application(f"app{i:04d}", company=f"Company {i}", applied_on=first - timedelta(days=i % 30),
                    contacts=(hr(),))
        for i in range(COUNT_CAP + 5)
    ]  # fmt: skip
    with writing(deps, now) as session:
        session.save_many(apps)
    deps.store.close()  # type: ignore[attr-defined]
    user = User(db, now=NOW)
    text = user.run("today").stdout
    assert "\nOverdue (1,000 or more)\n" in text
    assert "  ... and at least 990 more: followup today --all\n" in text
    days = [int(n) for n in re.findall(r"\((\d+) days late\)", text)]
    assert len(days) == PAGE
    assert days == sorted(days, reverse=True)
    everything = sections(user.run("today", "--all").stdout)
    assert everything["overdue"][0] == len(everything["overdue"][1]) > COUNT_CAP
